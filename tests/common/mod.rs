//! Test support: the real `samskriv` binary on a random port with a throwaway SQLite database,
//! real Yjs clients from npm (tests/js/scenario.mjs), and a raw WebSocket client for the bytes
//! no well-behaved client sends.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use samskriv::auth::{Access, Claims, TokenKey, now_secs};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

pub const SECRET: &str = "test-secret-not-for-production";

/// A throwaway database: a SQLite file in a temp dir, or — when `SAMSKRIV_TEST_DATABASE=postgres`
/// — a fresh database on the machine's PostgreSQL (127.0.0.1:5432), dropped afterwards.
pub struct TestDatabase {
    pub url: String,
    pg_name: Option<String>,
}

pub fn postgres_admin_url() -> String {
    std::env::var("SAMSKRIV_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_string())
}

pub fn use_postgres() -> bool {
    std::env::var("SAMSKRIV_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

fn psql(sql: &str) {
    let out = Command::new("psql")
        .arg(format!("{}/postgres", postgres_admin_url()))
        .args(["-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl TestDatabase {
    pub fn new(dir: &Path) -> Self {
        Self::with_backend(dir, use_postgres())
    }

    pub fn with_backend(dir: &Path, postgres: bool) -> Self {
        if postgres {
            let mut raw = [0u8; 6];
            getrandom::fill(&mut raw).unwrap();
            let name: String = std::iter::once("samskriv_test_".to_string())
                .chain(raw.iter().map(|b| format!("{b:02x}")))
                .collect();
            psql(&format!("CREATE DATABASE {name}"));
            Self {
                url: format!("{}/{name}", postgres_admin_url()),
                pg_name: Some(name),
            }
        } else {
            Self {
                url: format!("sqlite://{}", dir.join("samskriv.db").display()),
                pg_name: None,
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg_name.is_some()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name {
            let _ = Command::new("psql")
                .arg(format!("{}/postgres", postgres_admin_url()))
                .args([
                    "-q",
                    "-c",
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                ])
                .output();
        }
    }
}

/// A running server process. Killed (and its data removed) when dropped.
pub struct TestServer {
    child: Option<Child>,
    pub port: u16,
    pub dir: tempfile::TempDir,
    extra: Vec<String>,
    database_url: String,
    // Dropped after the processes: see the field order rule.
    db: Option<std::sync::Arc<TestDatabase>>,
}

impl TestServer {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts with extra `serve` flags.
    pub fn start_with(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = std::sync::Arc::new(TestDatabase::new(dir.path()));
        Self::start_on(db, dir, extra)
    }

    /// Starts on a given database (several processes may share a PostgreSQL one).
    pub fn start_on(
        db: std::sync::Arc<TestDatabase>,
        dir: tempfile::TempDir,
        extra: &[&str],
    ) -> Self {
        let mut s = Self {
            child: None,
            port: 0,
            dir,
            extra: extra.iter().map(|s| s.to_string()).collect(),
            database_url: db.url.clone(),
            db: Some(db),
        };
        s.spawn(0);
        s
    }

    /// A second process on the same database.
    pub fn start_peer(&self, extra: &[&str]) -> Self {
        let db = self.db.clone().expect("database");
        Self::start_on(db, tempfile::tempdir().unwrap(), extra)
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone()
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    fn spawn(&mut self, port: u16) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_samskriv"))
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(self.dir.path())
            .arg("--database-url")
            .arg(&self.database_url)
            .arg("--token-secret")
            .arg(SECRET)
            .args(&self.extra)
            .env(
                "SAMSKRIV_LOG",
                std::env::var("SAMSKRIV_TEST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start samskriv");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        let mut reader = BufReader::new(stdout);
        reader.read_line(&mut line).expect("read address");
        // Keep reading what the server prints (the demo's logins), so it never writes to a
        // closed pipe.
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        let addr = line
            .trim()
            .strip_prefix("samskriv listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
        self.port = addr.rsplit(':').next().unwrap().parse().expect("port");
        self.child = Some(child);
    }

    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}/ws", self.port)
    }

    /// The WebSocket URL of `doc` for a read-write `user`, with "saved" acknowledgements.
    pub fn acked_url(&self, doc: &str, user: &str) -> String {
        format!("{}/{doc}?token={}&ack=1", self.ws_url(), self.rw(doc, user))
    }

    pub fn http_url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn token(&self, doc: &str, user: &str, access: Access) -> String {
        token(doc, user, access, now_secs() + 3600)
    }

    pub fn rw(&self, doc: &str, user: &str) -> String {
        self.token(doc, user, Access::ReadWrite)
    }

    /// SIGKILL: no chance to commit or close anything.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM and wait for a graceful exit; returns its exit status success.
    pub fn terminate(&mut self) -> bool {
        let Some(mut c) = self.child.take() else {
            return false;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &c.id().to_string()])
            .status();
        for _ in 0..300 {
            if let Ok(Some(status)) = c.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = c.kill();
        let _ = c.wait();
        false
    }

    /// Starts again on the same port and data.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "stop the server first");
        let port = self.port;
        // The port may linger for a moment after a kill.
        for _ in 0..50 {
            if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.spawn(port);
        assert_eq!(self.port, port);
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)))
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        http_get(self.port, path).await
    }

    /// A metric's value from /metrics (0 if absent).
    pub async fn metric(&self, name: &str) -> f64 {
        let (_, body) = self.get("/metrics").await;
        body.lines()
            .find_map(|l| {
                let (k, v) = l.split_once(' ')?;
                (k == name).then(|| v.trim().parse().ok())?
            })
            .unwrap_or(0.0)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.kill9();
        self.db.take();
    }
}

pub fn token(doc: &str, user: &str, mode: Access, exp: u64) -> String {
    TokenKey::from_secret(SECRET).mint(&Claims {
        doc: doc.into(),
        user: user.into(),
        mode,
        exp,
    })
}

/// A minimal HTTP/1.1 GET (no client library needed for two endpoints).
pub async fn http_get(port: u16, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let req = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text[9..12].parse().unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, body)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        body = &rest[n + 2..];
    }
    out
}

pub fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js")
}

fn node_command(name: &str, config: &Value) -> Command {
    assert!(
        js_dir().join("node_modules/yjs").exists(),
        "tests/js/node_modules is missing: run the README's test command (scripts/test.sh), which installs the npm test clients"
    );
    let mut cmd = Command::new("node");
    cmd.arg(js_dir().join("scenario.mjs"))
        .arg(name)
        .arg(config.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs a Node scenario to its end; returns its result, panicking with its log on failure.
pub async fn scenario(name: &str, config: Value) -> Value {
    let cmd = node_command(name, &config);
    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = cmd;
        cmd.output().expect("run node")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stdout.lines().last().unwrap_or("");
    let result: Value = serde_json::from_str(last).unwrap_or(Value::Null);
    assert!(
        out.status.success() && result["ok"] == Value::Bool(true),
        "scenario {name} failed: {last}\n--- its log ---\n{}",
        tail(&stderr, 4000)
    );
    result
}

fn tail(s: &str, n: usize) -> &str {
    let start = s.len().saturating_sub(n);
    let start = (start..s.len())
        .find(|i| s.is_char_boundary(*i))
        .unwrap_or(0);
    &s[start..]
}

/// A scenario that runs alongside the test (stdout is read line by line).
pub struct RunningScenario {
    pub child: Child,
    pub lines: std::io::Lines<BufReader<ChildStdout>>,
}

pub fn spawn_scenario(name: &str, config: Value) -> RunningScenario {
    let mut cmd = node_command(name, &config);
    cmd.stderr(Stdio::inherit());
    let mut child = cmd.spawn().expect("start node");
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    RunningScenario { child, lines }
}

/// A WebSocket client that speaks raw bytes.
pub struct RawClient {
    ws: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

#[derive(Debug, PartialEq)]
pub enum Incoming {
    Binary(Vec<u8>),
    Close(Option<u16>),
    /// The connection ended without a close frame.
    Ended,
}

impl RawClient {
    pub async fn connect(url: &str) -> Self {
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .unwrap_or_else(|e| panic!("connect {url}: {e}"));
        Self { ws }
    }

    /// Connects with extra request headers (a browser's `Cookie` and `Origin`). Returns the
    /// HTTP status when the server refuses the handshake.
    pub async fn connect_with(url: &str, headers: &[(&str, String)]) -> Result<Self, u16> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut req = url.into_client_request().expect("request");
        for (k, v) in headers {
            req.headers_mut().insert(
                tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(k.as_bytes())
                    .expect("header name"),
                v.parse().expect("header value"),
            );
        }
        match tokio_tungstenite::connect_async(req).await {
            Ok((ws, _)) => Ok(Self { ws }),
            Err(tokio_tungstenite::tungstenite::Error::Http(res)) => Err(res.status().as_u16()),
            Err(e) => panic!("connect {url}: {e}"),
        }
    }

    pub async fn send(&mut self, bytes: impl Into<Vec<u8>>) {
        let _ = self.ws.send(Message::Binary(bytes.into().into())).await;
    }

    pub async fn recv(&mut self, within: Duration) -> Option<Incoming> {
        loop {
            let next = tokio::time::timeout(within, self.ws.next()).await.ok()?;
            return Some(match next {
                None | Some(Err(_)) => Incoming::Ended,
                Some(Ok(Message::Binary(b))) => Incoming::Binary(b.to_vec()),
                Some(Ok(Message::Close(f))) => Incoming::Close(f.map(|f| u16::from(f.code))),
                Some(Ok(_)) => continue,
            });
        }
    }

    /// Reads until a binary message satisfies `pred`; panics on close or timeout.
    pub async fn recv_until(&mut self, within: Duration, pred: impl Fn(&[u8]) -> bool) -> Vec<u8> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.recv(left).await {
                Some(Incoming::Binary(b)) if pred(&b) => return b,
                Some(Incoming::Binary(_)) => continue,
                other => panic!("expected a message, got {other:?}"),
            }
        }
    }

    /// Reads until the server closes; returns the close code (None if it just ended).
    pub async fn close_code(&mut self, within: Duration) -> Option<u16> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.recv(left).await {
                Some(Incoming::Binary(_)) => continue,
                Some(Incoming::Close(code)) => return code,
                Some(Incoming::Ended) => return None,
                None => panic!("the server did not close the connection"),
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self
            .ws
            .close(Some(tokio_tungstenite::tungstenite::protocol::CloseFrame {
                code: CloseCode::Normal,
                reason: "".into(),
            }))
            .await;
    }
}

/// A local yrs document that produces real updates, as a Yjs client would.
pub struct LocalDoc {
    pub doc: yrs::Doc,
}

impl LocalDoc {
    pub fn new() -> Self {
        Self {
            doc: yrs::Doc::new(),
        }
    }

    /// Inserts `s` at the end of Y.Text `text`; returns the update.
    pub fn append(&self, s: &str) -> Vec<u8> {
        use yrs::{Text, Transact};
        let text = self.doc.get_or_insert_text("text");
        let mut txn = self.doc.transact_mut();
        let end = text.len(&txn);
        text.insert(&mut txn, end, s);
        txn.encode_update_v1()
    }

    pub fn text(&self) -> String {
        use yrs::{GetString, Transact};
        let text = self.doc.get_or_insert_text("text");
        text.get_string(&self.doc.transact())
    }

    pub fn client_id(&self) -> u64 {
        self.doc.client_id().get()
    }
}

/// Message type of a frame (first varint, all our types are < 128).
pub fn msg_type(frame: &[u8]) -> u8 {
    frame[0]
}

pub fn is_sync_step2(frame: &[u8]) -> bool {
    frame.len() >= 2 && frame[0] == 0 && frame[1] == 1
}

pub fn is_saved(frame: &[u8]) -> bool {
    frame.first() == Some(&100)
}

impl RawClient {
    pub async fn send_text(&mut self, s: &str) {
        let _ = self.ws.send(Message::Text(s.into())).await;
    }
}

/// A TCP load balancer for tests: each connection goes to the first backend that accepts it,
/// so when one process dies its clients' reconnects land on the next (as behind nginx).
pub struct FailoverProxy {
    pub port: u16,
    task: tokio::task::JoinHandle<()>,
}

impl FailoverProxy {
    pub async fn start(backends: Vec<u16>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                let backends = backends.clone();
                tokio::spawn(async move {
                    for b in backends {
                        if let Ok(mut server) =
                            tokio::net::TcpStream::connect(("127.0.0.1", b)).await
                        {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                            return;
                        }
                    }
                });
            }
        });
        Self { port, task }
    }

    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}/ws", self.port)
    }
}

impl Drop for FailoverProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Two server processes on one fresh PostgreSQL database.
pub fn postgres_pair(extra: &[&str]) -> (TestServer, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    let db = std::sync::Arc::new(TestDatabase::with_backend(dir.path(), true));
    let mut a_args = vec!["--instance-name", "a"];
    a_args.extend_from_slice(extra);
    let a = TestServer::start_on(db, dir, &a_args);
    let mut b_args = vec!["--instance-name", "b"];
    b_args.extend_from_slice(extra);
    let b = a.start_peer(&b_args);
    (a, b)
}

impl LocalDoc {
    /// A document holding what a sync step 2 frame (`[0, 1, len, update]`) carries.
    pub fn from_step2(frame: &[u8]) -> Self {
        use yrs::Transact;
        use yrs::updates::decoder::Decode;
        let mut r = samskriv::sync::lib0::Reader::new(&frame[2..]);
        let update = r.buf().unwrap();
        let d = Self::new();
        d.doc
            .transact_mut()
            .apply_update(yrs::Update::decode_v1(update).unwrap())
            .unwrap();
        d
    }
}

impl RunningScenario {
    /// Reads "PROGRESS acked=N clocks={…}" lines until at least `n` acknowledgements were
    /// seen; returns the last acked clocks (client id → clock) read.
    pub fn wait_for_acks(&mut self, n: u64) -> Value {
        let mut acked = None;
        for line in self.lines.by_ref() {
            let line = line.unwrap();
            if let Some(rest) = line.strip_prefix("PROGRESS acked=") {
                let (count, clocks) = rest.split_once(" clocks=").unwrap();
                acked = Some(serde_json::from_str(clocks).unwrap());
                if count.parse::<u64>().unwrap() >= n {
                    break;
                }
            }
        }
        acked.expect("the scenario printed no progress")
    }

    /// Waits for the scenario to end; returns its result, panicking with `context` on failure.
    pub fn finish(mut self, context: &str) -> Value {
        let mut last = String::new();
        for line in self.lines.by_ref() {
            last = line.unwrap();
        }
        assert!(
            self.child.wait().unwrap().success(),
            "scenario failed: {last}\n{context}"
        );
        serde_json::from_str(&last).unwrap()
    }
}

/// What storage holds of a document, read directly (no server involved).
pub async fn stored_document(database_url: &str, doc: &str) -> samskriv::store::StoredDocument {
    let store = samskriv::store::Store::connect(database_url, "test")
        .await
        .unwrap();
    let stored = store
        .load_document(&samskriv::ids::DocumentId::parse(doc).unwrap())
        .await
        .unwrap();
    store.close().await;
    stored
}

/// Builds the document storage holds.
pub fn live_document(stored: &samskriv::store::StoredDocument) -> samskriv::docs::ydoc::LiveDoc {
    samskriv::docs::ydoc::LiveDoc::load(
        stored.snapshot.as_deref(),
        stored.updates.iter().map(|u| u.1.as_slice()),
    )
    .unwrap()
}

/// Asserts that storage alone (read directly, no server involved) holds every update each client
/// was told is saved: `acked` maps client ids to acknowledged clocks.
pub async fn assert_storage_covers(database_url: &str, doc: &str, acked: &Value) {
    let live = live_document(&stored_document(database_url, doc).await);
    let mut nonzero = 0;
    for (client, clock) in acked.as_object().unwrap() {
        let clock = clock.as_u64().unwrap() as u32;
        let stored_clock = live.clock(client.parse().unwrap());
        assert!(
            stored_clock >= clock,
            "client {client}: acknowledged up to {clock}, stored only up to {stored_clock}"
        );
        nonzero += usize::from(clock > 0);
    }
    assert!(nonzero >= 1, "no client had acknowledged updates: {acked}");
}

/// An API client for one person: a cookie jar, the session's CSRF token, JSON in and out.
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
    pub jar: std::sync::Arc<reqwest::cookie::Jar>,
    pub csrf: String,
}

impl Api {
    /// A client that is not logged in.
    pub fn anonymous(port: u16) -> Self {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        Self {
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .build()
                .expect("client"),
            jar,
            csrf: String::new(),
        }
    }

    /// Logs in; panics if the login fails.
    pub async fn login(port: u16, email: &str, password: &str) -> Self {
        let mut api = Self::anonymous(port);
        let (status, body) = api
            .post(
                "/api/session",
                &serde_json::json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(status, 200, "login {email}: {body}");
        api.csrf = body["csrf_token"].as_str().expect("csrf").to_owned();
        api
    }

    /// Logs in as a demo user (`serve --demo`).
    pub async fn demo(port: u16, email: &str) -> Self {
        Self::login(port, email, "demo1234").await
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> (u16, Value) {
        let res = req
            .header("x-csrf-token", &self.csrf)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send(self.http.post(format!("{}{path}", self.base)).json(body))
            .await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send(self.http.patch(format!("{}{path}", self.base)).json(body))
            .await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.send(self.http.delete(format!("{}{path}", self.base)))
            .await
    }

    /// A request with the session's cookie and CSRF token, to send yourself.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
    }

    /// Sends a prepared request (with the CSRF token) and reads the answer as JSON.
    pub async fn send_raw(&self, req: reqwest::RequestBuilder) -> (u16, Value) {
        self.send(req).await
    }

    /// The `Cookie` header this client sends, for WebSocket handshakes.
    pub fn cookie_header(&self) -> String {
        use reqwest::cookie::CookieStore;
        let url: reqwest::Url = self.base.parse().expect("url");
        self.jar
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// A hearing's live event stream (`GET /api/hearings/{id}/events`) as `api` sees it, open.
pub struct HearingEvents {
    res: reqwest::Response,
    seen: String,
}

impl HearingEvents {
    pub async fn open(api: &Api, hearing: i64) -> Self {
        let res = api
            .request(
                reqwest::Method::GET,
                &format!("/api/hearings/{hearing}/events"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        Self {
            res,
            seen: String::new(),
        }
    }

    /// Reads until the stream has said the hearing changed (within 10 s); returns all read.
    pub async fn until_hearing_changed(&mut self) -> &str {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !self.seen.contains("\"what\":\"hearing\"") {
            let chunk = tokio::time::timeout_at(deadline, self.res.chunk())
                .await
                .expect("an event in time")
                .unwrap()
                .expect("stream open");
            self.seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        &self.seen
    }
}

/// A Rust Yjs client over a real WebSocket: it syncs a local yrs document with the server's,
/// sends its edits and waits until they are saved.
pub struct YClient {
    pub doc: yrs::Doc,
    ws: RawClient,
}

impl YClient {
    /// Connects to `document` with a browser's headers (`Cookie`, `Origin`) or a token in
    /// `query` (e.g. "?token=…"), and syncs.
    pub async fn connect(
        server: &TestServer,
        document: &str,
        api: Option<&Api>,
        query: &str,
    ) -> Self {
        let mut url = format!("{}/{document}{query}", server.ws_url());
        url.push_str(if query.is_empty() { "?ack=1" } else { "&ack=1" });
        let mut headers = vec![("origin", format!("http://127.0.0.1:{}", server.port))];
        if let Some(api) = api {
            headers.push(("cookie", api.cookie_header()));
        }
        let mut ws = RawClient::connect_with(&url, &headers)
            .await
            .expect("handshake");
        // Offsets in UTF-16, as Yjs (JavaScript) counts them.
        let doc = yrs::Doc::with_options(yrs::Options {
            offset_kind: yrs::OffsetKind::Utf16,
            ..yrs::Options::default()
        });
        ws.send(samskriv::sync::message::encode_sync_step1(&[0]).to_vec())
            .await;
        let step2 = ws.recv_until(Duration::from_secs(10), is_sync_step2).await;
        let mut client = Self { doc, ws };
        client.apply_step2(&step2);
        client
    }

    fn apply_step2(&mut self, frame: &[u8]) {
        use yrs::updates::decoder::Decode;
        use yrs::{Transact, Update};
        // [0, 1, varbuf(update)]
        let mut r = &frame[2..];
        let len = read_var(&mut r) as usize;
        let update = Update::decode_v1(&r[..len]).expect("step 2 update");
        self.doc.transact_mut().apply_update(update).unwrap();
    }

    /// Makes an edit on the local document, sends it, and waits until the server says it is
    /// saved. Returns false if the server refused it.
    pub async fn edit(&mut self, f: impl FnOnce(&mut yrs::TransactionMut)) -> bool {
        use yrs::{ReadTxn, Transact};
        let before = self.doc.transact().state_vector();
        {
            let mut txn = self.doc.transact_mut();
            f(&mut txn);
        }
        let update = self.doc.transact().encode_state_as_update_v1(&before);
        self.ws
            .send(samskriv::sync::message::encode_update(&update).to_vec())
            .await;
        let reply = self
            .ws
            .recv_until(Duration::from_secs(10), |f| {
                is_saved(f) || f.first() == Some(&2)
            })
            .await;
        is_saved(&reply)
    }

    /// The document's blocks as the server's model reads them.
    pub fn blocks(&self) -> samskriv::model::Blocks {
        use yrs::Transact;
        samskriv::model::read::read(&self.doc.transact())
    }

    pub async fn close(self) {
        self.ws.close().await;
    }
}

fn read_var(r: &mut &[u8]) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    loop {
        let b = r[0];
        *r = &r[1..];
        n |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return n;
        }
        shift += 7;
    }
}

/// Changes one character of a frozen record's stored HTML, as a careless or malicious hand
/// with database access would.
pub async fn tamper_with_record(database_url: &str, record: i64) {
    use sqlx::Row;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(database_url)
        .await
        .expect("database");
    let html: String = sqlx::query("SELECT html FROM records WHERE id = $1")
        .bind(record)
        .fetch_one(&pool)
        .await
        .expect("record")
        .try_get("html")
        .unwrap();
    let at = html.find("<p>").expect("a paragraph") + 3;
    let mut bytes = html.into_bytes();
    bytes[at] = if bytes[at] == b'X' { b'Y' } else { b'X' };
    sqlx::query("UPDATE records SET html = $1 WHERE id = $2")
        .bind(String::from_utf8(bytes).unwrap())
        .bind(record)
        .execute(&pool)
        .await
        .expect("update");
    pool.close().await;
}

/// RFC 3339 (UTC) `days` from now (negative: in the past), as the API takes times.
pub fn days_from_now(days: i64) -> String {
    let now = std::time::SystemTime::now();
    let span = Duration::from_secs(days.unsigned_abs() * 86400);
    let t = if days >= 0 { now + span } else { now - span };
    humantime::format_rfc3339_millis(t).to_string()
}
