//! A small hostile HTTP/1.1 server on 127.0.0.1, written by hand on a raw `TcpListener`, with
//! one mode per way a server can misbehave: stall, trickle, redirect, huge `total`, ignored
//! `offset`, huge bodies and HTML error pages. Every answer closes its connection, and every
//! mode stops on its own within a minute, so no test can hang on it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// How the server answers every request.
#[derive(Debug, Clone)]
pub enum Mode {
    /// A correct app list of `apps` apps, paged by `offset` and `limit`, with or without `total`.
    Honest { apps: usize, total: bool },
    /// Sends the status line and headers (announcing a 100-byte body), then nothing.
    Stall,
    /// Reads the request and never answers.
    Silent,
    /// Sends the headers, then the body one byte a second.
    Trickle,
    /// Answers `307 Temporary Redirect` with this `Location`.
    Redirect(String),
    /// Pages of 100 apps that announce `total: 1000000000000`.
    HugeTotal,
    /// The same 100 apps whatever the offset, with this `total` (or none).
    IgnoredOffset { total: Option<usize> },
    /// Announces `Content-Length: 300000000` and sends zeros until the client hangs up.
    HugeBody,
    /// A chunked body with no length that never ends (stopped at 300 MB).
    EndlessChunked,
    /// A web page instead of JSON, with this status.
    HtmlPage(u16),
}

/// The largest body the server sends before it stops on its own.
pub const HUGE: u64 = 300_000_000;

/// What the server saw and did.
#[derive(Debug, Default)]
pub struct Stats {
    requests: AtomicUsize,
    body_bytes_sent: AtomicU64,
}

/// A running hostile server; stops when dropped.
pub struct Hostile {
    addr: SocketAddr,
    stats: Arc<Stats>,
    task: tokio::task::JoinHandle<()>,
}

impl Hostile {
    pub async fn start(mode: Mode) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let stats = Arc::new(Stats::default());
        let shared = stats.clone();
        let task = tokio::spawn(async move {
            // Dropping the set (when this task is aborted) aborts every connection too.
            let mut connections = JoinSet::new();
            while let Ok((socket, _)) = listener.accept().await {
                connections.spawn(serve(socket, mode.clone(), shared.clone()));
            }
        });
        Self { addr, stats, task }
    }

    /// `http://127.0.0.1:PORT/connect/v1`, the way a workspace address looks.
    pub fn base_url(&self) -> String {
        format!("http://{}/connect/v1", self.addr)
    }

    /// `127.0.0.1:PORT`.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// Requests read so far.
    pub fn requests(&self) -> usize {
        self.stats.requests.load(Ordering::SeqCst)
    }

    /// Body bytes the client accepted (written to its socket) so far.
    pub fn body_bytes_sent(&self) -> u64 {
        self.stats.body_bytes_sent.load(Ordering::SeqCst)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut socket: TcpStream, mode: Mode, stats: Arc<Stats>) {
    let Some(target) = read_request(&mut socket).await else {
        return;
    };
    stats.requests.fetch_add(1, Ordering::SeqCst);
    let offset = query_number(&target, "offset").unwrap_or(0);
    let limit = query_number(&target, "limit").unwrap_or(100).clamp(1, 100);
    match mode {
        Mode::Honest { apps, total } => {
            let end = (offset + limit).min(apps);
            let total = total.then_some(apps);
            let _ = send_json(&mut socket, &page(offset.min(end)..end, total)).await;
        }
        Mode::Stall => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
            if socket.write_all(head.as_bytes()).await.is_ok() {
                hold(&mut socket).await;
            }
        }
        Mode::Silent => hold(&mut socket).await,
        Mode::Trickle => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n";
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for _ in 0..60 {
                if socket.write_all(b" ").await.is_err() {
                    return;
                }
                stats.body_bytes_sent.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        Mode::Redirect(location) => {
            let head = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = socket.write_all(head.as_bytes()).await;
        }
        Mode::HugeTotal => {
            let _ = send_json(
                &mut socket,
                &page(offset..offset + limit, Some(1_000_000_000_000)),
            )
            .await;
        }
        Mode::IgnoredOffset { total } => {
            let _ = send_json(&mut socket, &page(0..100, total)).await;
        }
        Mode::HugeBody => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {HUGE}\r\n\r\n"
            );
            if socket.write_all(head.as_bytes()).await.is_ok() {
                let chunk = vec![b' '; 64 * 1024];
                let mut sent = 0;
                while sent < HUGE {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                    sent += chunk.len() as u64;
                    stats
                        .body_bytes_sent
                        .fetch_add(chunk.len() as u64, Ordering::SeqCst);
                }
            }
        }
        Mode::EndlessChunked => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            if socket.write_all(head.as_bytes()).await.is_ok() {
                let data = vec![b' '; 64 * 1024];
                let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
                chunk.extend_from_slice(&data);
                chunk.extend_from_slice(b"\r\n");
                let mut sent = 0;
                while sent < HUGE {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                    sent += data.len() as u64;
                    stats
                        .body_bytes_sent
                        .fetch_add(data.len() as u64, Ordering::SeqCst);
                }
            }
        }
        Mode::HtmlPage(status) => {
            let body = format!(
                "<html><head><title>{status} Bad Gateway</title></head><body><h1>nginx</h1></body></html>"
            );
            let head = format!(
                "HTTP/1.1 {status} Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(body.as_bytes()).await;
        }
    }
    let _ = socket.shutdown().await;
}

/// Reads one request head (bodies are ignored) and returns its target, e.g. `/connect/v1/apps?offset=0`.
async fn read_request(socket: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() > 64 * 1024 {
            return None;
        }
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    let line = text.lines().next()?;
    line.split(' ').nth(1).map(str::to_owned)
}

fn query_number(target: &str, name: &str) -> Option<usize> {
    let query = target.split_once('?')?.1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        .and_then(|v| v.parse().ok())
}

fn page(range: std::ops::Range<usize>, total: Option<usize>) -> String {
    let items: Vec<_> = range
        .map(
            |i| serde_json::json!({ "clientId": format!("app{i:07}"), "name": format!("App {i}") }),
        )
        .collect();
    let mut body = serde_json::json!({ "object": "list", "data": items });
    if let Some(total) = total {
        body["total"] = total.into();
    }
    body.to_string()
}

async fn send_json(socket: &mut TcpStream, body: &str) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    socket.write_all(head.as_bytes()).await?;
    socket.write_all(body.as_bytes()).await
}

/// Keeps the connection open, sending nothing, until the client hangs up (at most a minute).
async fn hold(socket: &mut TcpStream) {
    let mut buf = [0u8; 1024];
    let _ = tokio::time::timeout(Duration::from_secs(60), async {
        while let Ok(n) = socket.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
    })
    .await;
}
