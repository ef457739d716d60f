//! Live documents end to end: the real server, real Yjs clients from npm, real SQLite.

mod common;

use std::time::Duration;

use common::*;
use samskriv::auth::Access;
use samskriv::sync::message::{encode_sync_step1, encode_update};
use serde_json::{Value, json};

const SECOND: Duration = Duration::from_secs(1);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_converge_and_a_late_joiner_gets_everything() {
    let server = TestServer::start();
    let doc = "konvergens";
    let tokens: Vec<String> = ["Anne", "Bo", "Cecilie"]
        .iter()
        .map(|u| server.rw(doc, u))
        .collect();
    let result = scenario(
        "converge",
        json!({"url": server.ws_url(), "doc": doc, "tokens": tokens, "edits": 60, "seed": 7}),
    )
    .await;
    // The server's own reading (yrs) equals the Yjs clients'.
    let (status, body) = server
        .get(&format!("/api/documents/{doc}/content?token={}", tokens[0]))
        .await;
    assert_eq!(status, 200, "{body}");
    let server_content: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(server_content, result["content"]);
    assert!(
        result["content"]["text"]
            .as_str()
            .unwrap()
            .contains("<A59>")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_survives_a_restart() {
    let mut server = TestServer::start();
    let doc = "genstart";
    let written = scenario(
        "write",
        json!({"url": server.ws_url(), "doc": doc, "token": server.rw(doc, "Anne"),
               "ack": true, "text": "Høringssvar fra SBU", "xml": true}),
    )
    .await;
    assert!(server.terminate(), "graceful shutdown failed");
    server.restart();
    let read = scenario(
        "read",
        json!({"url": server.ws_url(), "doc": doc, "token": server.rw(doc, "Bo")}),
    )
    .await;
    assert_eq!(read["content"], written["content"]);
    assert_eq!(read["content"]["text"], "Høringssvar fra SBU");
    let client = written["clientId"].as_u64().unwrap().to_string();
    assert!(read["stateVector"][&client].as_u64().unwrap() >= written["clock"].as_u64().unwrap());
}

/// Kill -9 while several clients edit: everything acknowledged as saved is in storage, and
/// after a restart every client converges.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_nothing_that_was_acknowledged() {
    let mut server = TestServer::start();
    let doc = "kill9";
    let tokens: Vec<String> = (0..3).map(|i| server.rw(doc, &format!("u{i}"))).collect();
    let mut run = spawn_scenario(
        "durable",
        json!({"url": server.ws_url(), "doc": doc, "tokens": tokens, "editMs": 1500,
               "timeoutMs": 90000}),
    );
    // Wait for a good number of acknowledged updates, remembering the last acked clocks.
    let acked = run.wait_for_acks(60);
    server.kill9();
    // Before anyone reconnects: storage alone must hold everything acknowledged.
    assert_storage_covers(&server.database_url(), doc, &acked).await;

    server.restart();
    // The clients reconnect by themselves, resend what was not acknowledged, and converge.
    let result = run.finish("durable");
    let read = scenario(
        "read",
        json!({"url": server.ws_url(), "doc": doc, "token": server.rw(doc, "reader")}),
    )
    .await;
    assert_eq!(read["content"], result["content"]);
    for (client, clock) in result["acked"].as_object().unwrap() {
        assert!(read["stateVector"][client].as_u64().unwrap() >= clock.as_u64().unwrap());
    }
}

/// Random rich-text edits in Tiptap's shape from several Yjs clients, over many seeds: the
/// clients converge, a fresh client reads the same, and so does the server's yrs reading.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rich_text_from_yjs_clients_reads_the_same_in_yrs() {
    let server = TestServer::start();
    let seeds: u64 = std::env::var("SAMSKRIV_RICHTEXT_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    for seed in 1..=seeds {
        let doc = format!("rich-{seed}");
        let tokens: Vec<String> = (0..4).map(|i| server.rw(&doc, &format!("u{i}"))).collect();
        let reader = server.rw(&doc, "reader");
        let result = scenario(
            "richtext",
            json!({"url": server.ws_url(), "doc": doc, "tokens": tokens, "readerToken": reader,
                   "seed": seed, "ops": 60}),
        )
        .await;
        let (status, body) = server
            .get(&format!("/api/documents/{doc}/content?token={reader}"))
            .await;
        assert_eq!(status, 200);
        let server_content: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            server_content, result["content"],
            "seed {seed}: yrs reads differently"
        );
        assert!(
            !result["content"]["default"].as_array().unwrap().is_empty(),
            "seed {seed}: the editors produced no content"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_connection_cannot_change_the_document() {
    let server = TestServer::start();
    let doc = "laeseadgang";
    let result = scenario(
        "readonly",
        json!({"url": server.ws_url(), "doc": doc, "rwToken": server.rw(doc, "Anne"),
               "roToken": server.token(doc, "Bo", Access::ReadOnly)}),
    )
    .await;
    assert!(result["authDenied"].as_str().unwrap().contains("read-only"));

    // Raw: the update of a read-only connection is refused, not applied, not broadcast.
    let ro = server.token(doc, "Bo", Access::ReadOnly);
    let mut c = RawClient::connect(&format!("{}/{doc}?token={ro}", server.ws_url())).await;
    let local = LocalDoc::new();
    c.send(encode_update(&local.append("forbudt")).to_vec())
        .await;
    let denied = c.recv_until(5 * SECOND, |m| msg_type(m) == 2).await;
    assert_eq!(&denied[..2], &[2, 0]);
    let (_, body) = server
        .get(&format!("/api/documents/{doc}/content?token={ro}"))
        .await;
    let content: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(content["text"], "rw-text");
    assert_eq!(server.metric("samskriv_updates_refused_total").await, 2.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_expired_and_foreign_tokens_are_refused() {
    let server = TestServer::start();
    let doc = "hemmelig";
    let url = |token: &str| format!("{}/{doc}?token={token}", server.ws_url());
    let good = server.rw(doc, "Anne");
    let (payload, _) = good.split_once('.').unwrap();
    let cases = [
        ("no token", format!("{}/{doc}", server.ws_url()), 4401),
        ("forged signature", url(&format!("{payload}.AAAA")), 4401),
        ("garbage", url("not-a-token"), 4401),
        (
            "expired",
            url(&token(
                doc,
                "Anne",
                Access::ReadWrite,
                samskriv::auth::now_secs() - 1,
            )),
            4401,
        ),
        ("other document", url(&server.rw("andet", "Anne")), 4403),
        (
            "invalid document id",
            format!("{}/..%2Fx?token={good}", server.ws_url()),
            4404,
        ),
    ];
    for (what, url, code) in cases {
        let mut c = RawClient::connect(&url).await;
        // Refused before any document data: the first thing received is the close.
        assert_eq!(
            c.recv(5 * SECOND).await,
            Some(Incoming::Close(Some(code))),
            "{what}"
        );
    }
    let (status, body) = server
        .get(&format!(
            "/api/documents/{doc}/content?token={payload}.AAAA"
        ))
        .await;
    assert_eq!(status, 401);
    assert!(body.contains("ugyldigt token"), "{body}");
    let (status, _) = server
        .get(&format!(
            "/api/documents/{doc}/content?token={}",
            server.rw("andet", "x")
        ))
        .await;
    assert_eq!(status, 403);
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn deep_any_update(depth: usize) -> Vec<u8> {
    let mut u = hex("0101010028010101");
    u.extend_from_slice(&[0x6d, 0x01, 0x6b, 0x01]);
    for _ in 0..depth {
        u.extend_from_slice(&[0x75, 0x01]);
    }
    u.extend_from_slice(&[0x7e, 0x00]);
    u
}

/// Hostile and malformed frames close only their own connection; the document and the other
/// connections carry on, and the process survives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_hostile_frames_close_only_their_connection() {
    let server = TestServer::start_with(&["--max-frame-bytes", "65536"]);
    let doc = "robust";
    let url = server.acked_url(doc, "Anne");

    // A well-behaved client writes first.
    let mut good = RawClient::connect(&url).await;
    let local = LocalDoc::new();
    good.send(encode_update(&local.append("Vi bakker op.")).to_vec())
        .await;
    good.recv_until(5 * SECOND, is_saved).await;

    let deep = deep_any_update(5000);

    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("garbage", vec![0xff, 0xff, 0xff], 1002),
        ("unknown message type", vec![42], 1002),
        ("truncated sync", vec![0, 1, 9, 1], 1002),
        (
            "count of 2^28 in 7 bytes",
            encode_update(&[0x01, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00]).to_vec(),
            1002,
        ),
        (
            "nested Any (stack overflow in yrs)",
            encode_update(&deep).to_vec(),
            1002,
        ),
        (
            "the 29-byte update that yrs would keep pending",
            encode_update(&hex(
                "0101d30b01020000010000000100000401000306050241004301011000",
            ))
            .to_vec(),
            1002,
        ),
        (
            "oversized frame",
            encode_update(&vec![0u8; 100_000]).to_vec(),
            1009,
        ),
    ];
    for (what, bytes, code) in cases {
        let mut bad = RawClient::connect(&url).await;
        bad.send(bytes).await;
        let got = bad.close_code(5 * SECOND).await;
        // The server closes while a large frame is still arriving: the close frame may be
        // lost to the reset that follows.
        let lost_to_reset = code == 1009 && got.is_none();
        assert!(got == Some(code) || lost_to_reset, "{what}: {got:?}");
        // The other connection is unaffected and the document intact.
        good.send(encode_update(&local.append(" Ja.")).to_vec())
            .await;
        good.recv_until(5 * SECOND, is_saved).await;
    }
    // Updates that build on content the client has not sent yet wait outside the document
    // (a reconnecting client sends new edits before its sync step 2) …
    let other = LocalDoc::new();
    let first = other.append("først");
    let then = other.append(" så");
    let mut early = RawClient::connect(&url).await;
    early.send(encode_update(&then).to_vec()).await;
    early.send(encode_sync_step1(&[0]).to_vec()).await;
    let step2 = early.recv_until(5 * SECOND, is_sync_step2).await;
    assert!(
        !apply_step2(&step2).contains("så"),
        "a held update was applied"
    );
    // … and integrate when what they build on arrives.
    early.send(encode_update(&first).to_vec()).await;
    let saved = early.recv_until(5 * SECOND, is_saved).await;
    assert_eq!(saved_clock(&saved), other.doc.transact_ref_clock());
    // Updates that never can integrate are bounded: past the limit the sender is refused.
    let mut flood = RawClient::connect(&url).await;
    let orphan = LocalDoc::new();
    let _never_sent = orphan.append("aldrig");
    for i in 0..600 {
        flood
            .send(encode_update(&orphan.append(&i.to_string())).to_vec())
            .await;
    }
    assert_eq!(flood.close_code(10 * SECOND).await, Some(4400));

    // Inputs the fuzzer found (fuzz/regressions): refused or harmless, never fatal.
    let mut regressions: Vec<_> = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fuzz/regressions/update"
    ))
    .map(|d| d.flatten().map(|e| e.path()).collect())
    .unwrap_or_default();
    regressions.sort();
    assert!(
        !regressions.is_empty(),
        "fuzz/regressions/update is missing"
    );
    // (On a document of their own: some are valid updates that a Yjs client can't render.)
    let fuzz_url = format!(
        "{}/{doc}-fuzz?token={}",
        server.ws_url(),
        server.rw(&format!("{doc}-fuzz"), "Anne")
    );
    for path in regressions {
        let update = std::fs::read(&path).unwrap();
        let mut bad = RawClient::connect(&fuzz_url).await;
        bad.send(encode_update(&update).to_vec()).await;
        bad.send(encode_sync_step1(&[0]).to_vec()).await;
        // Either refused (closed) or applied; the server and the others carry on.
        let _ = bad.recv(2 * SECOND).await;
        good.send(encode_update(&local.append(".")).to_vec()).await;
        good.recv_until(5 * SECOND, is_saved).await;
        assert_eq!(server.get("/healthz").await.0, 200, "{}", path.display());
    }

    let mut text = RawClient::connect(&url).await;
    text.send(encode_sync_step1(&[0]).to_vec()).await;
    text.recv_until(5 * SECOND, is_sync_step2).await;
    // Text frames are not part of the protocol.
    let mut t = RawClient::connect(&url).await;
    t.send_text("hej").await;
    assert_eq!(t.close_code(5 * SECOND).await, Some(1003));

    let read = scenario(
        "read",
        json!({"url": server.ws_url(), "doc": doc, "token": server.rw(doc, "Bo")}),
    )
    .await;
    // Both writers' texts are in the document; the order of concurrent inserts is the CRDT's.
    let text = read["content"]["text"].as_str().unwrap();
    assert!(
        text.contains(&local.text()) && text.contains("først så"),
        "{text}"
    );
    assert!(!text.contains("aldrig"));
    assert!(server.metric("samskriv_protocol_errors_total").await >= 5.0);
}

/// A client that stops reading is closed when its queue fills, not silently skipped, and the
/// others carry on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_reader_is_closed_not_skipped() {
    let server = TestServer::start_with(&["--send-queue", "16"]);
    let doc = "langsom";
    let url = server.acked_url(doc, "Anne");
    let mut stalled = RawClient::connect(&url).await;
    let mut writer = RawClient::connect(&url).await;
    let local = LocalDoc::new();
    let chunk = "x".repeat(60_000);
    // ~24 MB: more than the socket buffers hold, so the stalled reader's queue fills.
    for _ in 0..400 {
        writer
            .send(encode_update(&local.append(&chunk)).to_vec())
            .await;
        writer.recv_until(10 * SECOND, is_saved).await;
        if server
            .metric("samskriv_connections_closed_slow_total")
            .await
            >= 1.0
        {
            break;
        }
    }
    assert_eq!(
        server
            .metric("samskriv_connections_closed_slow_total")
            .await,
        1.0
    );
    // Reading now, the stalled client finds a close frame (1013) after what was queued.
    assert_eq!(stalled.close_code(30 * SECOND).await, Some(1013));
    // The writer is still served.
    writer
        .send(encode_update(&local.append("slut")).to_vec())
        .await;
    writer.recv_until(10 * SECOND, is_saved).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_is_relayed_and_removed_with_its_connection() {
    let server = TestServer::start();
    let doc = "tilstede";
    let tokens: Vec<String> = ["A", "B", "C"].iter().map(|u| server.rw(doc, u)).collect();
    scenario(
        "awareness",
        json!({"url": server.ws_url(), "doc": doc, "tokens": tokens}),
    )
    .await;
}

/// y-websocket reconnects after 30 s without a message; the server keeps idle clients alive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_clients_are_not_reconnected() {
    let server = TestServer::start();
    let doc = "stille";
    let result = scenario(
        "idle",
        json!({"url": server.ws_url(), "doc": doc, "token": server.rw(doc, "A"),
               "idleMs": 35000, "timeoutMs": 60000}),
    )
    .await;
    assert_eq!(result["disconnects"], 0);
}

/// Many clients connecting at once to a stored document: it is loaded once, and every one
/// of them gets the stored content in its first sync (never an empty document first).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_connects_load_once_and_never_see_an_empty_document() {
    let mut server = TestServer::start();
    let doc = "samtidig";
    let url = server.acked_url(doc, "Anne");
    let local = LocalDoc::new();
    {
        let mut c = RawClient::connect(&url).await;
        for i in 0..50 {
            c.send(encode_update(&local.append(&format!("linje {i}\n"))).to_vec())
                .await;
        }
        let want = local.doc.transact_ref_clock();
        c.recv_until(5 * SECOND, |m| is_saved(m) && saved_clock(m) >= want)
            .await;
    }
    assert!(server.terminate());
    server.restart();
    let mut joins = Vec::new();
    for _ in 0..20 {
        let url = url.clone();
        joins.push(tokio::spawn(async move {
            let mut c = RawClient::connect(&url).await;
            c.send(encode_sync_step1(&[0]).to_vec()).await;
            c.recv_until(10 * SECOND, is_sync_step2).await
        }));
    }
    // Every step 2 carries all 50 lines: whether it was answered from the stored bytes while
    // the document was being built or from the built document.
    for j in joins {
        let step2 = j.await.unwrap();
        assert_eq!(apply_step2(&step2), local.text());
    }
    assert_eq!(server.metric("samskriv_documents_loaded_total").await, 1.0);
}

/// After a crash, storage holds a snapshot and a log after it. While the restarted server
/// builds the document, clients that have nothing are answered from those stored bytes (the
/// snapshot as step 2, then the log's updates), and a client that has part of the document
/// gets exactly what it lacks once the document is built: all of them end with the whole text,
/// and the document is loaded once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_joining_while_a_document_is_built_get_the_whole_committed_state() {
    let mut server = TestServer::start_with(&["--compact-after", "50"]);
    let doc = "efter-nedbrud";
    let url = server.acked_url(doc, "Anne");
    let local = LocalDoc::new();
    // What a client that was connected before the crash has: the first 100 lines.
    let partial = yrs::Doc::new();
    let mut c = RawClient::connect(&url).await;
    for i in 0..160 {
        let update = local.append(&format!("linje {i}\n"));
        if i < 100 {
            use yrs::Transact;
            use yrs::updates::decoder::Decode;
            partial
                .transact_mut()
                .apply_update(yrs::Update::decode_v1(&update).unwrap())
                .unwrap();
        }
        c.send(encode_update(&update).to_vec()).await;
        if i % 20 == 19 {
            let want = local.doc.transact_ref_clock();
            c.recv_until(5 * SECOND, |m| is_saved(m) && saved_clock(m) >= want)
                .await;
        }
    }
    server.kill9();
    let stored = stored_document(&server.database_url(), doc).await;
    assert!(stored.snapshot.is_some(), "no snapshot before the crash");
    assert!(!stored.updates.is_empty(), "no log after the snapshot");

    server.restart();
    let mut joins = Vec::new();
    for k in 0..12 {
        let url = url.clone();
        let sv = if k == 0 {
            use yrs::updates::encoder::Encode;
            use yrs::{ReadTxn, Transact};
            partial.transact().state_vector().encode_v1()
        } else {
            vec![0]
        };
        let start = if k == 0 {
            Some(partial_update(&partial))
        } else {
            None
        };
        joins.push(tokio::spawn(async move {
            let mut c = RawClient::connect(&url).await;
            c.send(encode_sync_step1(&sv).to_vec()).await;
            let mine = yrs::Doc::new();
            if let Some(update) = start {
                apply_sync_payload(&mine, &update);
            }
            let deadline = tokio::time::Instant::now() + 10 * SECOND;
            loop {
                let left = deadline.saturating_duration_since(tokio::time::Instant::now());
                match c.recv(left).await {
                    Some(Incoming::Binary(frame)) => {
                        if let Some(payload) = sync_payload(&frame) {
                            apply_sync_payload(&mine, payload);
                        }
                    }
                    other => panic!("expected the document, got {other:?}"),
                }
                if text_of(&mine).lines().count() == 160 {
                    return text_of(&mine);
                }
            }
        }));
    }
    for j in joins {
        assert_eq!(j.await.unwrap(), local.text());
    }
    assert_eq!(server.metric("samskriv_documents_loaded_total").await, 1.0);
}

/// The whole state of `doc` as an update.
fn partial_update(doc: &yrs::Doc) -> Vec<u8> {
    use yrs::{ReadTxn, StateVector, Transact};
    doc.transact()
        .encode_state_as_update_v1(&StateVector::default())
}

/// The update in a sync step 2 or update frame.
fn sync_payload(frame: &[u8]) -> Option<&[u8]> {
    if frame.len() < 3 || frame[0] != 0 || !(frame[1] == 1 || frame[1] == 2) {
        return None;
    }
    let mut r = samskriv::sync::lib0::Reader::new(&frame[2..]);
    let len = r.var_u64().ok()? as usize;
    let start = frame.len() - r.remaining();
    frame.get(start..start + len)
}

fn apply_sync_payload(doc: &yrs::Doc, update: &[u8]) {
    use yrs::Transact;
    use yrs::updates::decoder::Decode;
    doc.transact_mut()
        .apply_update(yrs::Update::decode_v1(update).unwrap())
        .unwrap();
}

fn text_of(doc: &yrs::Doc) -> String {
    use yrs::{GetString, Transact};
    let text = doc.get_or_insert_text("text");
    text.get_string(&doc.transact())
}

/// The log is folded into a snapshot past the bound; the document reads the same after.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_update_log_is_compacted_and_reads_the_same() {
    let mut server = TestServer::start_with(&["--compact-after", "50"]);
    let doc = "kompakt";
    let url = server.acked_url(doc, "Anne");
    let local = LocalDoc::new();
    let mut c = RawClient::connect(&url).await;
    // Bursts of 20, each waited for: compaction runs while updates keep coming.
    for i in 0..400 {
        c.send(encode_update(&local.append(&format!("{i} "))).to_vec())
            .await;
        if i % 20 == 19 {
            let want = local.doc.transact_ref_clock();
            c.recv_until(5 * SECOND, |m| is_saved(m) && saved_clock(m) >= want)
                .await;
        }
    }
    c.close().await;
    assert!(server.metric("samskriv_compactions_total").await >= 1.0);
    assert!(server.terminate());
    let stored = stored_document(&server.database_url(), doc).await;
    assert!(stored.snapshot.is_some());
    assert!(
        stored.updates.len() < 100,
        "log not compacted: {}",
        stored.updates.len()
    );
    server.restart();
    let read = scenario(
        "read",
        json!({"url": server.ws_url(), "doc": doc, "token": server.rw(doc, "Bo")}),
    )
    .await;
    assert_eq!(read["content"]["text"], local.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unused_document_is_unloaded_after_the_grace_period() {
    let server = TestServer::start_with(&["--unload-grace", "300ms"]);
    let doc = "ledig";
    let url = format!("{}/{doc}?token={}", server.ws_url(), server.rw(doc, "Anne"));
    let mut c = RawClient::connect(&url).await;
    c.recv(5 * SECOND).await;
    assert_eq!(server.metric("samskriv_open_documents").await, 1.0);
    c.close().await;
    tokio::time::sleep(2 * SECOND).await;
    assert_eq!(server.metric("samskriv_open_documents").await, 0.0);
    assert_eq!(server.metric("samskriv_connections").await, 0.0);
}

/// SIGTERM: what was accepted is committed and acknowledged, sockets close with "going away".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_commits_and_says_going_away() {
    let mut server = TestServer::start();
    let doc = "nedlukning";
    let url = server.acked_url(doc, "Anne");
    let mut c = RawClient::connect(&url).await;
    let local = LocalDoc::new();
    for i in 0..20 {
        c.send(encode_update(&local.append(&format!("{i};"))).to_vec())
            .await;
    }
    let want = local.doc.transact_ref_clock();
    c.recv_until(5 * SECOND, |m| is_saved(m) && saved_clock(m) >= want)
        .await;
    assert!(server.terminate(), "exit status");
    assert_eq!(c.close_code(5 * SECOND).await, Some(1001));
    server.restart();
    let read = scenario(
        "read",
        json!({"url": server.ws_url(), "doc": doc, "token": server.rw(doc, "Bo")}),
    )
    .await;
    assert_eq!(read["content"]["text"], local.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics() {
    let server = TestServer::start();
    assert_eq!(server.get("/healthz").await, (200, "ok".to_string()));
    let doc = "maalinger";
    scenario(
        "write",
        json!({"url": server.ws_url(), "doc": doc, "token": server.rw(doc, "A"), "ack": true, "text": "x"}),
    )
    .await;
    let (status, body) = server.get("/metrics").await;
    assert_eq!(status, 200);
    for name in [
        "samskriv_connections",
        "samskriv_open_documents",
        "samskriv_updates_committed_total",
        "samskriv_commit_seconds_bucket",
        "samskriv_bytes_in_total",
        "samskriv_bytes_out_total",
    ] {
        assert!(body.contains(name), "{name} missing from /metrics");
    }
    assert!(server.metric("samskriv_updates_committed_total").await >= 1.0);
    assert!(server.metric("samskriv_commit_seconds_count").await >= 1.0);
}

/// Applies a sync step 2 frame to a fresh document and returns its text.
fn apply_step2(frame: &[u8]) -> String {
    use yrs::updates::decoder::Decode;
    use yrs::{GetString, Transact, Update};
    // [0, 1, len varint, payload]
    let mut pos = 2;
    let mut len = 0usize;
    let mut shift = 0;
    loop {
        let b = frame[pos];
        pos += 1;
        len |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let doc = yrs::Doc::new();
    let text = doc.get_or_insert_text("text");
    let mut txn = doc.transact_mut();
    txn.apply_update(Update::decode_v1(&frame[pos..pos + len]).unwrap())
        .unwrap();
    text.get_string(&txn)
}

/// The highest clock in a "saved" message (type 100).
fn saved_clock(frame: &[u8]) -> u32 {
    let mut r = samskriv::sync::lib0::Reader::new(&frame[1..]);
    let n = r.var_u64().unwrap();
    let mut max = 0;
    for _ in 0..n {
        r.var_u64().unwrap();
        max = max.max(r.var_u32().unwrap());
    }
    max
}

trait Clock {
    fn transact_ref_clock(&self) -> u32;
}

impl Clock for yrs::Doc {
    /// This document's own next clock.
    fn transact_ref_clock(&self) -> u32 {
        use yrs::{ReadTxn, Transact};
        let id = self.client_id();
        self.transact().state_vector().get(&id)
    }
}

/// A database from before migration 0006, which kept the snapshot in the `documents` row,
/// keeps its documents: the snapshot moves to its own table, and the server reads snapshot and
/// later log as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_from_before_the_snapshot_table_keeps_its_documents() {
    use yrs::updates::decoder::Decode;
    use yrs::{GetString, ReadTxn, StateVector, Text, Transact};

    let dir = tempfile::tempdir().unwrap();
    let db = std::sync::Arc::new(TestDatabase::new(dir.path()));
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&format!(
        "{}{}",
        db.url,
        if db.is_postgres() { "" } else { "?mode=rwc" }
    ))
    .await
    .unwrap();
    let mut old = if db.is_postgres() {
        sqlx::migrate!("./migrations/postgres")
    } else {
        sqlx::migrate!("./migrations/sqlite")
    };
    old.migrations = old
        .migrations
        .iter()
        .filter(|m| m.version < 6)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    old.run(&pool).await.unwrap();

    // A snapshot (through seq 1) and one later update (seq 2), as the old layout held them.
    let ydoc = yrs::Doc::with_client_id(7);
    let text = ydoc.get_or_insert_text("text");
    text.insert(&mut ydoc.transact_mut(), 0, "Høringssvar fra SBU");
    let snapshot = ydoc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let before = ydoc.transact().state_vector();
    {
        let mut txn = ydoc.transact_mut();
        let end = text.len(&txn);
        text.insert(&mut txn, end, " (udkast)");
    }
    let update = ydoc.transact().encode_state_as_update_v1(&before);
    assert!(yrs::Update::decode_v1(&update).is_ok());
    sqlx::query(
        "INSERT INTO documents (id, snapshot, snapshot_seq, last_seq, created_at, updated_at)
         VALUES ('gammel', $1, 1, 2, 0, 0)",
    )
    .bind(snapshot)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO document_updates (document_id, seq, data, user_name, origin, created_at)
         VALUES ('gammel', 2, $1, 'Anne', 'old', 0)",
    )
    .bind(update)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let server = TestServer::start_on(db, dir, &[]);
    let (status, body) = server
        .get(&format!(
            "/api/documents/gammel/content?token={}",
            server.rw("gammel", "Anne")
        ))
        .await;
    assert_eq!(status, 200, "{body}");
    let content: Value = serde_json::from_str(&body).unwrap();
    let expected = text.get_string(&ydoc.transact());
    assert_eq!(expected, "Høringssvar fra SBU (udkast)");
    assert_eq!(content["text"], expected.as_str());
    let stored = stored_document(&server.database_url(), "gammel").await;
    assert_eq!(stored.snapshot_seq, 1);
    assert!(stored.snapshot.is_some());
    assert_eq!(stored.updates.len(), 1);
}
