//! Several server processes on one PostgreSQL database (127.0.0.1:5432): clients on different
//! processes edit the same documents.

mod common;

use std::time::Duration;

use common::*;
use samskriv::sync::message::{encode_sync_step1, encode_update};
use serde_json::{Value, json};

const SECOND: Duration = Duration::from_secs(1);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_on_two_processes_converge() {
    let (a, b) = postgres_pair(&[]);
    let doc = "to-processer";
    let tokens: Vec<String> = ["A", "B", "C"].iter().map(|u| a.rw(doc, u)).collect();
    // A on process a, B on process b, the late joiner C on a.
    let result = scenario(
        "converge",
        json!({"urls": [a.ws_url(), b.ws_url()], "url": a.ws_url(), "doc": doc,
               "tokens": tokens, "edits": 60, "seed": 3}),
    )
    .await;
    // Delivered by notification, not only by the periodic catch-up.
    for server in [&a, &b] {
        assert!(server.metric("samskriv_remote_notifications_total").await > 0.0);
    }
    for server in [&a, &b] {
        let (status, body) = server
            .get(&format!("/api/documents/{doc}/content?token={}", tokens[0]))
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            serde_json::from_str::<Value>(&body).unwrap(),
            result["content"]
        );
    }
    // Rich text from four clients spread over both processes.
    let doc = "to-processer-rig";
    let tokens: Vec<String> = (0..4).map(|i| a.rw(doc, &format!("u{i}"))).collect();
    let reader = b.rw(doc, "reader");
    let result = scenario(
        "richtext",
        json!({"urls": [a.ws_url(), b.ws_url()], "url": b.ws_url(), "doc": doc,
               "tokens": tokens, "readerToken": reader, "seed": 11, "ops": 40}),
    )
    .await;
    let (_, body) = a
        .get(&format!("/api/documents/{doc}/content?token={reader}"))
        .await;
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        result["content"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_crosses_processes() {
    let (a, b) = postgres_pair(&[]);
    let doc = "tilstede-to";
    let tokens: Vec<String> = ["A", "B", "C"].iter().map(|u| a.rw(doc, u)).collect();
    scenario(
        "awareness",
        json!({"urls": [a.ws_url(), b.ws_url()], "url": a.ws_url(), "doc": doc, "tokens": tokens}),
    )
    .await;
}

/// One process is killed mid-session: its clients reconnect (through the balancer) to the
/// other, and nothing acknowledged is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_of_one_process_moves_its_clients_to_the_other() {
    let (mut a, b) = postgres_pair(&[]);
    let proxy = FailoverProxy::start(vec![a.port, b.port]).await;
    let doc = "failover";
    let tokens: Vec<String> = (0..3).map(|i| a.rw(doc, &format!("u{i}"))).collect();
    // Clients 0 and 2 through the balancer (on a), client 1 directly on b.
    let mut run = spawn_scenario(
        "durable",
        json!({"urls": [proxy.ws_url(), b.ws_url()], "url": proxy.ws_url(), "doc": doc,
               "tokens": tokens, "survivors": [1], "editMs": 1500, "timeoutMs": 90000}),
    );
    let acked = run.wait_for_acks(60);
    a.kill9();
    assert_storage_covers(&a.database_url(), doc, &acked).await;
    let result = run.finish("durable");
    let read = scenario(
        "read",
        json!({"url": b.ws_url(), "doc": doc, "token": b.rw(doc, "reader")}),
    )
    .await;
    assert_eq!(read["content"], result["content"]);
}

/// A process's database connections are cut: it commits again once reconnected, catches up
/// with what the other process committed meanwhile, and loses nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_database_connection_catches_up() {
    let (a, b) = postgres_pair(&[]);
    let doc = "afbrudt";
    let url_a = a.acked_url(doc, "Anne");
    let url_b = b.acked_url(doc, "Bo");
    let mut on_a = RawClient::connect(&url_a).await;
    let mut on_b = RawClient::connect(&url_b).await;
    // Both joined before anything is written: a sync round trip each.
    for c in [&mut on_a, &mut on_b] {
        c.send(encode_sync_step1(&[0]).to_vec()).await;
        c.recv_until(5 * SECOND, is_sync_step2).await;
    }
    let writer_a = LocalDoc::new();
    let writer_b = LocalDoc::new();
    on_a.send(encode_update(&writer_a.append("før ")).to_vec())
        .await;
    on_a.recv_until(5 * SECOND, is_saved).await;
    on_b.recv_until(5 * SECOND, |m| m.starts_with(&[0, 2]))
        .await;

    // Cut every connection process b has to the database.
    let db = a.database_url().rsplit('/').next().unwrap().to_string();
    let out = std::process::Command::new("psql")
        .arg(format!("{}/postgres", postgres_admin_url()))
        .args([
            "-q",
            "-t",
            "-c",
            &format!(
            "SELECT count(pg_terminate_backend(pid)), count(*) FILTER (WHERE query ILIKE '%listen%')
             FROM pg_stat_activity WHERE datname = '{db}' AND application_name = 'samskriv-b'"
        ),
        ])
        .output()
        .unwrap();
    let counts = String::from_utf8_lossy(&out.stdout);
    let (cut, listeners) = counts.trim().split_once('|').unwrap();
    let (cut, listeners): (u32, u32) = (
        cut.trim().parse().unwrap(),
        listeners.trim().parse().unwrap(),
    );
    assert!(
        cut >= 1 && listeners == 1,
        "expected b's connections with its listener: {counts}"
    );

    // a commits while b's notifications are lost; b catches up and delivers it.
    on_a.send(encode_update(&writer_a.append("under ")).to_vec())
        .await;
    on_a.recv_until(5 * SECOND, is_saved).await;
    let mut seen = LocalDoc::new();
    let deadline = tokio::time::Instant::now() + 15 * SECOND;
    while !seen.text().contains("under") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "b never caught up: {:?}",
            seen.text()
        );
        on_b.send(encode_sync_step1(&[0]).to_vec()).await;
        let step2 = on_b.recv_until(5 * SECOND, is_sync_step2).await;
        seen = LocalDoc::from_step2(&step2);
        tokio::time::sleep(SECOND / 2).await;
    }
    // b commits again through a new connection, and a's client receives it.
    on_b.send(encode_update(&writer_b.append("efter")).to_vec())
        .await;
    on_b.recv_until(15 * SECOND, is_saved).await;
    let read = scenario(
        "read",
        json!({"url": a.ws_url(), "doc": doc, "token": a.rw(doc, "reader")}),
    )
    .await;
    let text = read["content"]["text"].as_str().unwrap();
    assert!(
        text.contains("før under") && text.contains("efter"),
        "{text}"
    );
}

/// Both processes fold the same log while clients on both edit: the advisory lock lets one fold
/// at a time, and a process whose next updates were folded away merges the snapshot instead —
/// every client still converges on everything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compaction_under_concurrency_loses_nothing() {
    let (a, b) = postgres_pair(&["--compact-after", "10"]);
    let doc = "kompakt-to";
    let tokens: Vec<String> = ["A", "B", "C"].iter().map(|u| a.rw(doc, u)).collect();
    let result = scenario(
        "converge",
        json!({"urls": [a.ws_url(), b.ws_url()], "url": b.ws_url(), "doc": doc,
               "tokens": tokens, "edits": 120, "seed": 5}),
    )
    .await;
    let compactions =
        a.metric("samskriv_compactions_total").await + b.metric("samskriv_compactions_total").await;
    assert!(
        compactions >= 2.0,
        "expected several compactions, got {compactions}"
    );
    for server in [&a, &b] {
        let (_, body) = server
            .get(&format!("/api/documents/{doc}/content?token={}", tokens[0]))
            .await;
        assert_eq!(
            serde_json::from_str::<Value>(&body).unwrap(),
            result["content"]
        );
    }
    // What storage holds reads the same too.
    let stored = stored_document(&a.database_url(), doc).await;
    assert!(stored.snapshot.is_some());
    let live = live_document(&stored);
    assert_eq!(live.canonical().unwrap(), result["content"]);
}
