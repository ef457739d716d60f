//! The deployment example (docs/deployment.md): two server processes on one PostgreSQL database
//! (127.0.0.1:5432) behind a real nginx (Debian's package) running deploy/nginx.conf.template.
//! Unmodified y-websocket clients connect through nginx only.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("../deploy/nginx.conf.template");

/// The nginx binary: on PATH or where Debian installs it. Missing is a failure, not a skip.
fn nginx_binary() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain([PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join("nginx"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "nginx is not installed: this test runs Debian's nginx in front of two server \
                 processes. Install it with `apt-get install nginx-light` (scripts/test.sh does)."
            )
        })
}

/// nginx as a child process, with the template filled in and everything in a temp dir.
struct Nginx {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Nginx {
    /// Starts nginx on a free loopback port in front of `a` and `b` and waits until /healthz
    /// answers through it.
    async fn start(a: &TestServer, b: &TestServer) -> Self {
        let bin = nginx_binary();
        let mut last_failure = String::new();
        // A port picked here may be taken by someone else before nginx binds it: try again.
        for _ in 0..5 {
            let dir = tempfile::tempdir().expect("temp dir");
            let port = free_port();
            let conf = fill_template(dir.path(), port, a.port, b.port);
            let conf_path = dir.path().join("nginx.conf");
            std::fs::write(&conf_path, conf).expect("write nginx.conf");
            let stderr = std::fs::File::create(dir.path().join("stderr.log")).unwrap();
            let child = Command::new(&bin)
                .arg("-p")
                .arg(dir.path())
                .arg("-e")
                .arg(dir.path().join("error.log"))
                .arg("-c")
                .arg(&conf_path)
                .args(["-g", "daemon off;"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(stderr)
                .spawn()
                .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
            let mut nginx = Nginx { child, port, dir };
            match nginx.wait_healthy().await {
                Ok(()) => return nginx,
                Err(e) => last_failure = format!("{e}\n{}", nginx.logs()),
            }
        }
        panic!("nginx did not come up: {last_failure}");
    }

    async fn wait_healthy(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("nginx exited with {status}"));
            }
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                let (status, body) = http_get(self.port, "/healthz").await;
                if status == 200 && body == "ok" {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err("/healthz through nginx did not answer 200 within 10 s".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn logs(&self) -> String {
        let read =
            |name: &str| std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default();
        format!(
            "--- nginx stderr ---\n{}--- nginx error.log ---\n{}",
            read("stderr.log"),
            read("error.log")
        )
    }

    fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}/ws", self.port)
    }

    async fn get(&self, path: &str) -> (u16, String) {
        http_get(self.port, path).await
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its workers (a killed master would leave them running).
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().unwrap().port()
}

fn fill_template(prefix: &Path, listen: u16, a: u16, b: u16) -> String {
    let conf = TEMPLATE
        .replace("@PREFIX@", prefix.to_str().expect("utf-8 temp dir"))
        .replace("@LISTEN@", &format!("127.0.0.1:{listen}"))
        .replace("@UPSTREAM_A@", &format!("127.0.0.1:{a}"))
        .replace("@UPSTREAM_B@", &format!("127.0.0.1:{b}"));
    assert!(!conf.contains('@'), "unfilled placeholder in {conf}");
    conf
}

async fn content(port_get: impl std::future::Future<Output = (u16, String)>) -> Value {
    let (status, body) = port_get.await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_clients_through_nginx_converge() {
    let (a, b) = postgres_pair(&[]);
    let nginx = Nginx::start(&a, &b).await;
    let doc = "bag-nginx";
    let tokens: Vec<String> = ["A", "B", "C"].iter().map(|u| a.rw(doc, u)).collect();
    let result = scenario(
        "converge",
        json!({"url": nginx.ws_url(), "doc": doc, "tokens": tokens, "edits": 60, "seed": 5}),
    )
    .await;
    let path = format!("/api/documents/{doc}/content?token={}", tokens[0]);
    // Both processes (one of them reads it from the database), and through nginx.
    for server in [&a, &b] {
        assert_eq!(content(server.get(&path)).await, result["content"]);
    }
    assert_eq!(content(nginx.get(&path)).await, result["content"]);
}

/// The process holding a document's clients is killed mid-session: every client reconnects
/// through nginx, lands on the other process, and nothing acknowledged is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_behind_nginx_moves_every_client_to_the_survivor() {
    failover_behind_nginx("nginx-failover", Stop::Kill9).await;
}

/// The same with a graceful restart (SIGTERM): the process drains and exits cleanly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_behind_nginx_moves_every_client_to_the_other_process() {
    failover_behind_nginx("nginx-restart", Stop::Term).await;
}

enum Stop {
    Kill9,
    Term,
}

async fn failover_behind_nginx(doc: &str, stop: Stop) {
    let (mut a, mut b) = postgres_pair(&[]);
    let nginx = Nginx::start(&a, &b).await;
    let tokens: Vec<String> = (0..3).map(|i| a.rw(doc, &format!("u{i}"))).collect();
    let mut run = spawn_scenario(
        "durable",
        json!({"url": nginx.ws_url(), "doc": doc, "tokens": tokens,
               "editMs": 1500, "timeoutMs": 90000}),
    );
    let acked = run.wait_for_acks(60);
    // nginx keeps a document on one process: all three clients are on the same one.
    let connections = (
        a.metric("samskriv_connections").await,
        b.metric("samskriv_connections").await,
    );
    let (victim, survivor) = if connections == (3.0, 0.0) {
        (&mut a, &b)
    } else if connections == (0.0, 3.0) {
        (&mut b, &a)
    } else {
        panic!("expected all 3 clients on one process, got (a, b) = {connections:?}")
    };
    match stop {
        Stop::Kill9 => victim.kill9(),
        Stop::Term => assert!(victim.terminate(), "SIGTERM: no clean exit"),
    }

    assert_storage_covers(&survivor.database_url(), doc, &acked).await;

    // No survivors among the clients: the scenario ends only once every one of them has
    // reconnected (through nginx, so to the survivor), resynced, edited and been acknowledged.
    let result = run.finish(&nginx.logs());
    let reader = survivor.rw(doc, "reader");
    let read = scenario(
        "read",
        json!({"url": nginx.ws_url(), "doc": doc, "token": reader}),
    )
    .await;
    assert_eq!(read["content"], result["content"]);
    let path = format!("/api/documents/{doc}/content?token={reader}");
    assert_eq!(content(survivor.get(&path)).await, result["content"]);
    assert_eq!(content(nginx.get(&path)).await, result["content"]);
}
