//! A recording proxy on 127.0.0.1: forwards every request to a sandbox and keeps each one's
//! method, path and body, so a test can check exactly what a client sent.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;

/// One request as it reached the proxy.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent.
    pub path: String,
    pub body: String,
}

#[derive(Clone)]
struct Shared {
    target: String,
    seen: Arc<Mutex<Vec<Recorded>>>,
    http: reqwest::Client,
}

/// A running proxy; dropped with the test's runtime.
pub struct Recorder {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Recorded>>>,
}

impl Recorder {
    /// Forwards to `target_origin` (`http://127.0.0.1:PORT`).
    pub async fn start(target_origin: &str) -> Recorder {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared {
            target: target_origin.trim_end_matches('/').to_owned(),
            seen: seen.clone(),
            http: reqwest::Client::new(),
        };
        let app = Router::new().fallback(forward).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Recorder { addr, seen }
    }

    /// The Workspace API base URL through the proxy.
    pub fn base_url(&self) -> String {
        format!("http://{}/connect/v1", self.addr)
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Recorded> {
        self.seen.lock().unwrap().clone()
    }

    /// The requests with this method.
    pub fn with_method(&self, method: &str) -> Vec<Recorded> {
        self.seen()
            .into_iter()
            .filter(|r| r.method == method)
            .collect()
    }
}

async fn forward(
    State(shared): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned());
    shared.seen.lock().unwrap().push(Recorded {
        method: method.to_string(),
        path: path.clone(),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let mut request = shared
        .http
        .request(method, format!("{}{path}", shared.target))
        .body(body);
    for name in ["authorization", "content-type", "idempotency-key", "accept"] {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value);
        }
    }
    let answer = request.send().await.unwrap();
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        // Hop-by-hop and length headers are the proxy's own to set.
        if !["transfer-encoding", "connection", "content-length"].contains(&name.as_str()) {
            response = response.header(name, value);
        }
    }
    response
        .body(Body::from(answer.bytes().await.unwrap()))
        .unwrap()
}
