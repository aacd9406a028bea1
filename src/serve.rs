//! `minhbach serve`: builds the site into memory, serves it on 127.0.0.1,
//! watches the site root and rebuilds what changed ([`crate::live`]), and
//! tells open pages to reload through server-sent events.
//!
//! Nothing is written to disk, so stopping (Ctrl-C) leaves nothing behind.
//! The pages served get two additions that `build` never writes: a script
//! `/__minhbach/reload.js` (a file, not inline: the pages' Content-Security-
//! Policy allows only scripts of the site itself) and, while the data has
//! errors, an overlay listing them, escaped, with its own style sheet.
//!
//! The HTTP side is a small server on `std::net`: GET and HEAD of files
//! from memory, one request per connection, and the event stream, which
//! must reach the browser as soon as it is written (no buffering).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::clean::html_escape as escape;
use crate::diag::{Diagnostic, Diagnostics};
use crate::live::{Live, Outcome};
use crate::write::MemorySite;

/// Where the server's own files live; no site page can be there (ids never
/// start with `_`).
pub const PREFIX: &str = "/__minhbach/";

const RELOAD_JS: &str = r#"// minhbach serve: reload this page when the site is rebuilt.
(function () {
  "use strict";
  if (!window.EventSource) return;
  var events = new EventSource("/__minhbach/events");
  function reload() { events.close(); window.location.reload(); }
  events.addEventListener("reload", reload);
  events.addEventListener("errors", reload);
})();
"#;

const OVERLAY_CSS: &str = r#"#minhbach-overlay{position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;
margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#ffe9e9;border-top:4px solid #e5484d;
font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 -4px 24px rgba(0,0,0,.4)}
#minhbach-overlay h2{margin:0 0 .5rem;font-size:1rem;color:#fff}
#minhbach-overlay ol{margin:0;padding-left:1.5rem}
#minhbach-overlay li{margin:.25rem 0;white-space:pre-wrap}
#minhbach-overlay .where{color:#ffb3b3;font-weight:bold}
#minhbach-overlay p{margin:.5rem 0 0;color:#ffcfcf}
"#;

/// How many errors the overlay lists.
const OVERLAY_MAX: usize = 50;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub open: bool,
}

/// What the terminal is told; `serve` prints nothing itself.
pub trait Console: Sync {
    fn line(&self, line: &str);
    /// Diagnostics of a rebuild, for people.
    fn diagnostics(&self, root: &Path, diags: &[Diagnostic]);
}

/// What the request threads share with the rebuild loop.
struct Shared {
    site: Arc<MemorySite>,
    /// The overlay (HTML, escaped) while the data has errors.
    overlay: Mutex<Option<String>>,
    clients: Mutex<Vec<Sender<String>>>,
    stop: AtomicBool,
    /// The port listened on: the only one a Host header may name.
    port: u16,
    /// Connections open now, at most [`MAX_CONNECTIONS`].
    open: AtomicUsize,
}

/// The most connections served at once; past it a new one gets 503 and is
/// closed. Each has its own thread, so one slow client never blocks
/// another, and the cap bounds the threads.
pub const MAX_CONNECTIONS: usize = 64;

/// Whether a request's Host header names this server: `127.0.0.1`,
/// `localhost` or `[::1]`, with the port listened on (or none). Anything
/// else (a DNS-rebinding page's own name) is refused.
pub fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host.map(str::trim) else {
        return false;
    };
    let (name, given) = match host.rsplit_once(':') {
        Some((n, p))
            if !n.is_empty() && (n.starts_with('[') == n.ends_with(']')) && !p.contains(']') =>
        {
            (n, Some(p))
        }
        _ => (host, None),
    };
    let name = name.to_ascii_lowercase();
    let local = matches!(name.as_str(), "127.0.0.1" | "localhost" | "[::1]");
    local && given.is_none_or(|p| p.parse::<u16>() == Ok(port))
}

impl Shared {
    fn overlay(&self) -> Option<String> {
        self.overlay.lock().map(|o| o.clone()).unwrap_or(None)
    }

    fn set_overlay(&self, html: Option<String>) {
        if let Ok(mut o) = self.overlay.lock() {
            *o = html;
        }
    }

    /// Sends an event to every open page; forgets pages that are gone.
    fn broadcast(&self, event: &str, data: &str) {
        let message = format!("event: {event}\ndata: {data}\n\n");
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(message.clone()).is_ok());
        }
    }
}

/// Binds 127.0.0.1 at `port`, or the next free port when it is busy.
pub fn bind(port: u16, console: &dyn Console) -> Result<TcpListener, String> {
    let mut p = port;
    for _ in 0..20 {
        match TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, p))) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && p < u16::MAX && p != 0 => {
                console.line(&format!("port {p} is busy; trying {}", p + 1));
                p += 1;
            }
            Err(e) => return Err(format!("cannot listen on 127.0.0.1:{p}: {e}")),
        }
    }
    Err(format!(
        "ports {port} to {p} are all busy; choose another with --port"
    ))
}

/// Serves until `stop` is set (by Ctrl-C).
pub fn serve(
    opts: &ServeOptions,
    console: &dyn Console,
    stop: Arc<AtomicBool>,
) -> Result<(), String> {
    let listener = bind(opts.port, console)?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("cannot read the address listened on: {e}"))?
        .port();
    let url = format!("http://127.0.0.1:{port}/");

    let mut live = Live::new(&opts.root, Some(url.clone()));
    let first = live.rebuild(&[]);
    let shared = Arc::new(Shared {
        site: live.site(),
        overlay: Mutex::new(None),
        clients: Mutex::new(Vec::new()),
        stop: AtomicBool::new(false),
        port,
        open: AtomicUsize::new(0),
    });
    announce(&opts.root, &first, &shared, console, true);
    // An edit's pages are served (and open pages reload) before the
    // site-wide open-data files are made again; these follow.
    live.set_data_later(true);

    let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            if !matches!(ev.kind, EventKind::Access(_)) {
                let _ = tx.send(ev.paths);
            }
        }
    })
    .map_err(|e| format!("cannot watch the site root: {e}"))?;
    let mut watched: Vec<PathBuf> = Vec::new();
    watch_inputs(&mut watcher, &opts.root, &mut watched)?;

    {
        let shared = Arc::clone(&shared);
        thread::Builder::new()
            .name("minhbach-http".into())
            .spawn(move || accept(listener, shared))
            .map_err(|e| format!("cannot start the server: {e}"))?;
    }
    console.line(&format!(
        "serving {url} (watching site.yaml, data/, content/, themes/; Ctrl-C to stop)"
    ));
    if opts.open {
        open_browser(&url, console);
    }

    while !stop.load(Ordering::SeqCst) {
        let wait = if live.data_pending() { 20 } else { 200 };
        let first_paths = match rx.recv_timeout(Duration::from_millis(wait)) {
            Ok(p) => p,
            Err(RecvTimeoutError::Timeout) => {
                if let Some(outcome) = live.poll_data(false) {
                    announce_data(&outcome, &shared, console);
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let paths = debounce(&rx, first_paths, &opts.root);
        if paths.is_empty() {
            continue;
        }
        watch_inputs(&mut watcher, &opts.root, &mut watched)?;
        let outcome = live.rebuild(&paths);
        announce(&opts.root, &outcome, &shared, console, false);
    }
    shared.stop.store(true, Ordering::SeqCst);
    console.line("stopped; nothing was written to disk");
    Ok(())
}

/// Collects the paths of events until 100 ms pass without one (at most a
/// second), keeping those that are inputs of the site.
fn debounce(rx: &Receiver<Vec<PathBuf>>, first: Vec<PathBuf>, root: &Path) -> Vec<PathBuf> {
    let start = Instant::now();
    let mut paths = first;
    while start.elapsed() < Duration::from_secs(1) {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(p) => paths.extend(p),
            Err(_) => break,
        }
    }
    paths.sort();
    paths.dedup();
    paths.retain(|p| is_input(root, p));
    paths
}

/// Whether a changed path can matter: site.yaml, or below data/, content/
/// or themes/ (the root itself is watched only for these).
fn is_input(root: &Path, path: &Path) -> bool {
    let rel = match path.strip_prefix(root) {
        Ok(r) => r.to_path_buf(),
        Err(_) => match (root.canonicalize(), path.canonicalize()) {
            (Ok(r), Ok(p)) => match p.strip_prefix(&r) {
                Ok(x) => x.to_path_buf(),
                Err(_) => return false,
            },
            // Deleted: judge by its name.
            _ => return true,
        },
    };
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    matches!(
        first.as_deref(),
        Some("site.yaml" | "data" | "content" | "themes")
    )
}

/// Watches the root (for site.yaml and folders that appear) and each input
/// folder that exists and is not watched yet.
fn watch_inputs(
    watcher: &mut notify::RecommendedWatcher,
    root: &Path,
    watched: &mut Vec<PathBuf>,
) -> Result<(), String> {
    if watched.is_empty() {
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        watched.push(root.to_path_buf());
    }
    for dir in ["data", "content", "themes"] {
        let path = root.join(dir);
        if path.is_dir() && !watched.contains(&path) {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
            watched.push(path);
        }
    }
    Ok(())
}

/// Tells the terminal and the open pages that the open-data files of the
/// last good build are out. The overlay stays: errors of a newer input
/// still stand (the data files are those of the last good site).
fn announce_data(o: &Outcome, shared: &Shared, console: &dyn Console) {
    match &o.result {
        Ok(r) if r.unchanged => {}
        Ok(r) => {
            console.line(&r.summary(o.elapsed));
            shared.broadcast("reload", "{}");
        }
        Err(e) => console.line(&format!("error: the open-data files: {e}")),
    }
}

/// Tells the terminal and the open pages what a rebuild did.
fn announce(root: &Path, o: &Outcome, shared: &Shared, console: &dyn Console, first: bool) {
    let errors: Vec<Diagnostic> = o
        .diagnostics
        .0
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    match &o.result {
        Ok(r) if r.unchanged => {}
        Ok(r) => {
            if first {
                console.diagnostics(root, &o.diagnostics.0);
            }
            let warnings = o.diagnostics.warnings();
            let note = if warnings > 0 && !first {
                format!(" ({warnings} warnings: run `minhbach check` to see them)")
            } else {
                String::new()
            };
            console.line(&format!("{}{note}", r.summary(o.elapsed)));
            shared.set_overlay(None);
            shared.broadcast("reload", "{}");
        }
        Err(e) => {
            console.diagnostics(root, &errors);
            console.line(&format!("error: {e}"));
            shared.set_overlay(Some(overlay_html(&o.diagnostics)));
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            let data = serde_json::to_string(&list).unwrap_or_else(|_| "[]".to_string());
            shared.broadcast("errors", &data);
        }
    }
}

/// The overlay: every error with its place, all text escaped.
pub fn overlay_html(diags: &Diagnostics) -> String {
    let errors: Vec<&Diagnostic> = diags.0.iter().filter(|d| d.is_error()).collect();
    let mut html = String::from(
        "<div id=\"minhbach-overlay\" role=\"alert\"><h2>minhbach: the data has errors; the last good site is shown</h2><ol>",
    );
    for d in errors.iter().take(OVERLAY_MAX) {
        html.push_str(&format!(
            "<li><span class=\"where\">{}</span> error[{}]: {}</li>",
            escape(&d.location()),
            escape(d.code.as_str()),
            escape(&d.message)
        ));
    }
    html.push_str("</ol>");
    if errors.len() > OVERLAY_MAX {
        html.push_str(&format!(
            "<p>… and {} more: run <code>minhbach check</code>.</p>",
            errors.len() - OVERLAY_MAX
        ));
    }
    html.push_str("<p>Fix the files and save: this page reloads by itself.</p></div>");
    html
}

/// Adds the reload script (and the overlay, when there is one) to a page.
pub fn inject(html: &str, overlay: Option<&str>) -> String {
    let mut head = format!("<script src=\"{PREFIX}reload.js\" defer></script>");
    if overlay.is_some() {
        head.push_str(&format!(
            "<link rel=\"stylesheet\" href=\"{PREFIX}overlay.css\">"
        ));
    }
    let mut out = match html.find("</head>") {
        Some(i) => format!("{}{head}{}", &html[..i], &html[i..]),
        None => format!("{head}{html}"),
    };
    if let Some(o) = overlay {
        match out.rfind("</body>") {
            Some(i) => out.insert_str(i, o),
            None => out.push_str(o),
        }
    }
    out
}

/// The page shown while no build has succeeded yet.
fn placeholder(overlay: Option<&str>) -> String {
    let body = overlay.unwrap_or("<p>Building…</p>");
    inject(
        &format!("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>minhbach serve</title></head><body><h1>minhbach serve</h1>{body}</body></html>"),
        None,
    )
    .replacen(
        "</head>",
        &format!("<link rel=\"stylesheet\" href=\"{PREFIX}overlay.css\"></head>"),
        1,
    )
}

fn accept(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(mut stream) = stream else { continue };
        if shared.open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
            let _ = stream.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n",
            );
            continue;
        }
        let shared = Arc::clone(&shared);
        let _ = thread::Builder::new()
            .name("minhbach-request".into())
            .spawn(move || {
                let _ = handle(stream, &shared);
                shared.open.fetch_sub(1, Ordering::SeqCst);
            });
    }
}

/// A response to write.
struct Reply {
    status: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Reply {
    fn new(status: &'static str, content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type,
            body,
            location: None,
        }
    }
}

fn handle(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    // A slow or stalled client holds only its own thread, and not forever.
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.by_ref().take(8192).read_line(&mut request_line)?;
    // The headers are read; only Host matters.
    let mut total = 0;
    let mut host: Option<String> = None;
    loop {
        let mut line = String::new();
        let n = reader.by_ref().take(8192).read_line(&mut line)?;
        total += n;
        if n == 0 || line == "\r\n" || line == "\n" || total > 64 * 1024 {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("host") {
                host = Some(value.trim().to_string());
            }
        }
    }
    if !host_allowed(host.as_deref(), shared.port) {
        let mut stream = stream;
        let (status, body): (&'static str, &[u8]) = if host.is_some() {
            (
                "421 Misdirected Request",
                b"this preview answers only to 127.0.0.1, localhost or [::1] with its port\n",
            )
        } else {
            ("403 Forbidden", b"a Host header is required\n")
        };
        return respond(
            &mut stream,
            Reply::new(status, "text/plain; charset=utf-8", body.to_vec()),
            false,
        );
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let mut stream = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            Reply::new(
                "405 Method Not Allowed",
                "text/plain; charset=utf-8",
                b"only GET and HEAD\n".to_vec(),
            ),
            method == "HEAD",
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == format!("{PREFIX}events") {
        return events(stream, shared);
    }
    let reply = route(path, shared);
    respond(&mut stream, reply, method == "HEAD")
}

fn route(path: &str, shared: &Shared) -> Reply {
    match path.strip_prefix(PREFIX) {
        Some("reload.js") => {
            return Reply::new(
                "200 OK",
                "text/javascript; charset=utf-8",
                RELOAD_JS.as_bytes().to_vec(),
            )
        }
        Some("overlay.css") => {
            return Reply::new(
                "200 OK",
                "text/css; charset=utf-8",
                OVERLAY_CSS.as_bytes().to_vec(),
            )
        }
        Some(_) => {
            return Reply::new(
                "404 Not Found",
                "text/plain; charset=utf-8",
                b"not found\n".to_vec(),
            )
        }
        None => {}
    }
    let overlay = shared.overlay();
    let Some(rel) = decode_path(path) else {
        return Reply::new(
            "400 Bad Request",
            "text/plain; charset=utf-8",
            b"bad path\n".to_vec(),
        );
    };
    if shared.site.is_empty() {
        return Reply::new(
            "503 Service Unavailable",
            "text/html; charset=utf-8",
            placeholder(overlay.as_deref()).into_bytes(),
        );
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    let (status, key, bytes) = match shared.site.get(&key) {
        Some(b) => ("200 OK", key, b),
        None => {
            if !rel.ends_with('/') && shared.site.get(&format!("{rel}/index.html")).is_some() {
                let mut r = Reply::new(
                    "301 Moved Permanently",
                    "text/plain; charset=utf-8",
                    Vec::new(),
                );
                r.location = Some(format!("/{rel}/"));
                return r;
            }
            match shared.site.get("404.html") {
                Some(b) => ("404 Not Found", "404.html".to_string(), b),
                None => {
                    return Reply::new(
                        "404 Not Found",
                        "text/plain; charset=utf-8",
                        b"not found\n".to_vec(),
                    )
                }
            }
        }
    };
    let content_type = content_type(&key);
    let body = if key.ends_with(".html") {
        inject(&String::from_utf8_lossy(&bytes), overlay.as_deref()).into_bytes()
    } else {
        bytes
    };
    Reply::new(status, content_type, body)
}

/// `/agencies/s%E1%BB%9F/` → `agencies/sở/`; `None` for paths that would
/// leave the site.
fn decode_path(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let s = String::from_utf8(out).ok()?;
    let s = s.trim_start_matches('/');
    if s.split('/')
        .any(|p| p == ".." || p == "." || p.contains('\\'))
    {
        return None;
    }
    Some(s.to_string())
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ if path.ends_with("SHA256SUMS") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn respond(stream: &mut TcpStream, reply: Reply, head_only: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        reply.status,
        reply.content_type,
        reply.body.len()
    );
    if let Some(l) = &reply.location {
        head.push_str(&format!("Location: {l}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
}

/// The event stream of one page: `reload` after a rebuild, `errors` when
/// the data has errors, a comment every 15 s to keep it open.
fn events(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let (tx, rx) = mpsc::channel::<String>();
    if let Ok(mut c) = shared.clients.lock() {
        c.push(tx);
    }
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n",
    )?;
    stream.flush()?;
    while !shared.stop.load(Ordering::SeqCst) {
        let message = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => break,
        };
        stream.write_all(message.as_bytes())?;
        stream.flush()?;
    }
    Ok(())
}

fn open_browser(url: &str, console: &dyn Console) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        console.line(&format!(
            "cannot open a browser ({program}: {e}); open {url} yourself"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::yaml::Pos;

    #[test]
    fn the_overlay_escapes_everything() {
        let mut diags = Diagnostics::default();
        diags.push(Diagnostic::new(
            Code::WrongType,
            "data/reports/2022/<x>.yaml",
            Some(Pos { line: 2, column: 3 }),
            "found \"<script>alert(1)</script>\" & more",
        ));
        let html = overlay_html(&diags);
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<x>"), "{html}");
        assert!(
            html.contains("data/reports/2022/&lt;x&gt;.yaml:2:3"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; more"));
    }

    #[test]
    fn injection_goes_in_head_and_body() {
        let page = "<!DOCTYPE html><html><head><title>x</title></head><body><p>a</p></body></html>";
        let out = inject(page, None);
        assert!(out.contains("<script src=\"/__minhbach/reload.js\" defer></script></head>"));
        let out = inject(page, Some("<div id=\"minhbach-overlay\"></div>"));
        assert!(out.contains("overlay.css\"></head>"));
        assert!(out.contains("<div id=\"minhbach-overlay\"></div></body>"));
    }

    #[test]
    fn only_local_hosts_with_this_port_are_answered() {
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "[::1]:1111",
            "LOCALHOST:1111",
            "localhost",
        ] {
            assert!(host_allowed(Some(ok), 1111), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1:1112",
            "localhost.evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "[::1]:80",
            "",
            "0.0.0.0:1111",
        ] {
            assert!(!host_allowed(Some(bad), 1111), "{bad}");
        }
        assert!(!host_allowed(None, 1111));
    }

    #[test]
    fn paths_stay_in_the_site() {
        assert_eq!(decode_path("/").as_deref(), Some(""));
        assert_eq!(
            decode_path("/agencies/s%E1%BB%9F/").as_deref(),
            Some("agencies/sở/")
        );
        assert_eq!(decode_path("/../etc/passwd"), None);
        assert_eq!(decode_path("/a/%2e%2e/b"), None);
        assert_eq!(decode_path("/a%"), Some("a%".to_string()));
    }
}
