//! The hearing round from the LMUs' responses to the filed minutes, through the real server's
//! API and real WebSocket clients (yrs, in the shape Tiptap writes): consolidation with
//! provenance, diffs with authors, review (positions, anchored comments), approval and its
//! voiding by an edit, freezing (refused writes on every path, after a restart too), verifying
//! the record, exports, and filing with the minutes.

mod common;

use std::time::Duration;

use common::{Api, LocalDoc, TestServer, YClient, days_from_now};
use samskriv::model::{Block, BlockKind, Blocks, Marks};
use serde_json::{Value, json};

fn doc(blocks: &[(BlockKind, &str)]) -> Blocks {
    Blocks {
        blocks: blocks.iter().map(|(k, t)| Block::plain(*k, t)).collect(),
    }
}

const P: BlockKind = BlockKind::Paragraph;
const H2: BlockKind = BlockKind::Heading { level: 2 };
const LI: BlockKind = BlockKind::ListItem {
    ordered: false,
    depth: 0,
};

async fn id_of(api: &Api, short: &str) -> i64 {
    let (_, list) = api.get("/api/committees").await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["short_name"] == short)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// The LMU writes its response over the WebSocket and its chair submits it.
async fn respond(server: &TestServer, member: &Api, chair: &Api, hearing: i64, content: Blocks) {
    let (_, list) = member.get("/api/hearings").await;
    let response = list
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == hearing)
        .unwrap()["my_responses"][0]
        .clone();
    let (_, r) = member
        .get(&format!("/api/responses/{}", response["id"]))
        .await;
    let document = r["document_id"].as_str().unwrap();
    let mut client = YClient::connect(server, document, Some(member), "").await;
    assert!(
        client
            .edit(|txn| {
                samskriv::model::write::insert_blocks(txn, 0, &content).unwrap();
            })
            .await
    );
    assert_eq!(client.blocks(), content.normalized());
    client.close().await;
    let (status, r) = chair
        .post(
            &format!("/api/responses/{}/submit", response["id"]),
            &json!({}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
}

async fn wait_for_state(api: &Api, hearing: i64, state: &str) {
    for _ in 0..100 {
        let (_, h) = api.get(&format!("/api/hearings/{hearing}")).await;
        if h["state"] == state {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, h) = api.get(&format!("/api/hearings/{hearing}")).await;
    panic!("hearing never became {state}: {h}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_round_from_responses_to_the_filed_minutes() {
    let mut server = TestServer::start_with(&["--demo"]);
    let port = server.port;
    let secretariat = Api::demo(port, "sekretariat@demo.samskriv.dk").await;
    let chair = Api::demo(port, "formand@demo.samskriv.dk").await;
    let vice = Api::demo(port, "naestformand@demo.samskriv.dk").await;
    let member = Api::demo(port, "dok.formand@demo.samskriv.dk").await;
    let sbu = (
        Api::demo(port, "sbu.medlem1@demo.samskriv.dk").await,
        Api::demo(port, "sbu.formand@demo.samskriv.dk").await,
    );
    let sau = (
        Api::demo(port, "sau.medlem1@demo.samskriv.dk").await,
        Api::demo(port, "sau.formand@demo.samskriv.dk").await,
    );

    // The secretariat sends a proposal into hearing with SBU and SAU.
    let (status, h) = secretariat
        .post(
            "/api/hearings",
            &json!({
                "committee_id": id_of(&secretariat, "HMU").await,
                "title": "Visions- og Udviklingsplan", "issuing_body": "Socialdirektionen",
                "lmu_deadline": days_from_now(7), "hmu_deadline": days_from_now(14),
                "invited": [id_of(&secretariat, "SBU").await, id_of(&secretariat, "SAU").await],
            }),
        )
        .await;
    assert_eq!(status, 201, "{h}");
    let id = h["id"].as_i64().unwrap();
    secretariat
        .post(&format!("/api/hearings/{id}/open"), &json!({}))
        .await;

    // Both LMUs write and submit; collection closes by itself.
    respond(
        &server,
        &sbu.0,
        &sbu.1,
        id,
        doc(&[
            (BlockKind::Heading { level: 1 }, "Høringssvar fra LMU SBU"),
            (
                P,
                "Vi støtter planens vision om en sammenhængende indsats for børn og unge.",
            ),
            (
                LI,
                "Medarbejderne skal inddrages tidligt i implementeringen.",
            ),
            (LI, "Arbejdsmiljøet skal følges tæt i MED-systemet."),
        ]),
    )
    .await;
    respond(
        &server,
        &sau.0,
        &sau.1,
        id,
        doc(&[
            (BlockKind::Heading { level: 1 }, "Høringssvar fra LMU SAU"),
            (
                P,
                "Rekruttering og fastholdelse af fagligt personale er den største udfordring.",
            ),
            (
                P,
                "Den specialiserede viden om autisme skal bevares i regionen.",
            ),
        ]),
    )
    .await;
    wait_for_state(&chair, id, "consolidating").await;

    // The chairs' workspace: both responses beside the (empty) joint draft.
    let (status, ws) = chair
        .get(&format!("/api/hearings/{id}/consolidation"))
        .await;
    assert_eq!(status, 200, "{ws}");
    assert_eq!(ws["can_edit"], true);
    let responses = ws["responses"].as_array().unwrap();
    assert_eq!(responses.len(), 2);
    let sbu_response = responses
        .iter()
        .find(|r| r["committee"]["short_name"] == "SBU")
        .unwrap();
    let sau_response = responses
        .iter()
        .find(|r| r["committee"]["short_name"] == "SAU")
        .unwrap();
    assert_eq!(
        sbu_response["blocks"]["blocks"].as_array().unwrap().len(),
        4
    );
    let joint = ws["joint_document_id"].as_str().unwrap().to_owned();
    let (status, _) = member
        .get(&format!("/api/hearings/{id}/consolidation"))
        .await;
    assert_eq!(status, 403, "only the chairs consolidate");

    // The chair takes SBU's two points and SAU's first paragraph into the draft.
    let (status, taken) = chair
        .post(
            &format!("/api/hearings/{id}/passages"),
            &json!({"response_id": sbu_response["response_id"], "blocks": [2, 3], "after_block": null}),
        )
        .await;
    assert_eq!(status, 200, "{taken}");
    assert_eq!(taken["inserted"], 2);
    let (status, _) = chair
        .post(
            &format!("/api/hearings/{id}/passages"),
            &json!({"response_id": sau_response["response_id"], "blocks": [1], "after_block": 99}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, bad) = chair
        .post(
            &format!("/api/hearings/{id}/passages"),
            &json!({"response_id": sau_response["response_id"], "blocks": [42], "after_block": 0}),
        )
        .await;
    assert_eq!(status, 422, "{bad}");

    // The other chair rewords SBU's first point in the live editor (a WebSocket client).
    let mut editor = YClient::connect(&server, &joint, Some(&vice), "").await;
    let before = editor.blocks();
    assert_eq!(before.blocks.len(), 3, "{before:?}");
    assert_eq!(
        before.blocks[0].inlines[0]
            .marks
            .provenance
            .as_ref()
            .unwrap()
            .committee,
        "SBU"
    );
    assert!(
        editor
            .edit(|txn| {
                use yrs::{ReadTxn, Text, XmlFragment};
                let fragment = txn.get_xml_fragment("default").unwrap();
                // The list's first item's paragraph's text: insert a word in the middle.
                let list = fragment.get(txn, 0).unwrap().into_xml_element().unwrap();
                let item = list.get(txn, 0).unwrap().into_xml_element().unwrap();
                let p = item.get(txn, 0).unwrap().into_xml_element().unwrap();
                let text = p.get(txn, 0).unwrap().into_xml_text().unwrap();
                text.insert(txn, 19, "altid ");
            })
            .await
    );

    // The provenance report still attributes both, and counts each LMU's points.
    let (status, report) = chair.get(&format!("/api/hearings/{id}/provenance")).await;
    assert_eq!(status, 200, "{report}");
    let blocks = report["report"]["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["committees"], json!(["SBU"]), "{report}");
    assert_eq!(blocks[2]["committees"], json!(["SAU"]), "{report}");
    assert!(
        report["joint"]["blocks"][0]["inlines"][0]["text"]
            .as_str()
            .unwrap()
            .contains("altid"),
        "{report}"
    );
    let coverage = report["report"]["committees"].as_array().unwrap();
    let sbu_cov = coverage.iter().find(|c| c["committee"] == "SBU").unwrap();
    let sau_cov = coverage.iter().find(|c| c["committee"] == "SAU").unwrap();
    assert_eq!(sbu_cov["reflected"], 2, "{sbu_cov}");
    assert!(sbu_cov["points"].as_u64().unwrap() >= 3, "{sbu_cov}");
    assert!(sbu_cov["text"].as_str().unwrap().starts_with("SBU: 2 af "));
    assert_eq!(sau_cov["reflected"], 1, "{sau_cov}");
    assert_eq!(sau_cov["unreflected"].as_array().unwrap().len(), 1);

    // A named version, and the diff since it with the author of the change.
    let (status, v1) = chair
        .post(
            &format!("/api/documents/{joint}/versions"),
            &json!({"name": "Formandskabets udkast"}),
        )
        .await;
    assert_eq!(status, 201, "{v1}");
    assert!(
        editor
            .edit(|txn| {
                samskriv::model::write::insert_blocks(
                    txn,
                    0,
                    &doc(&[(H2, "HMU's samlede bemærkninger")]),
                )
                .unwrap();
            })
            .await
    );
    let (status, diff) = chair
        .get(&format!(
            "/api/documents/{joint}/diff?from={}&to=live",
            v1["id"]
        ))
        .await;
    assert_eq!(status, 200, "{diff}");
    let inserted = diff["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["change"] == "inserted")
        .expect("the new heading is inserted");
    assert_eq!(inserted["spans"][0]["author"], "Karsten Dahl", "{inserted}");
    let res = chair
        .request(
            reqwest::Method::GET,
            &format!("/api/documents/{joint}/diff?from={}&format=html", v1["id"]),
        )
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("<ins"), "{html}");
    assert!(
        html.contains("indsat"),
        "a text label for screen readers: {html}"
    );

    // Review: the chairs share the draft; members see the changes and take positions.
    let (status, shared) = chair
        .post(&format!("/api/hearings/{id}/share"), &json!({}))
        .await;
    assert_eq!(status, 201, "{shared}");
    let v_shared = shared["version_id"].as_i64().unwrap();
    let (_, h) = chair.get(&format!("/api/hearings/{id}")).await;
    assert_eq!(h["state"], "in_review");
    let (status, review) = member.get(&format!("/api/hearings/{id}/review")).await;
    assert_eq!(status, 200, "{review}");
    assert_eq!(review["current"]["id"], v_shared);
    assert_eq!(review["current"]["name"], "Udkast 1 til HMU");
    assert_eq!(review["since"], "none");
    let changes = review["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 4, "every block of a first version: {review}");
    let key = changes[1]["key"].as_str().unwrap().to_owned();
    let (status, body) = member
        .post(
            &format!("/api/hearings/{id}/positions"),
            &json!({"version_id": v_shared, "change_key": key, "position": "object", "note": "For bredt"}),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let (status, _) = member
        .post(
            &format!("/api/hearings/{id}/positions"),
            &json!({"version_id": v_shared, "change_key": "ukendt", "position": "agree"}),
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = sbu.0.get(&format!("/api/hearings/{id}/review")).await;
    assert_eq!(status, 403, "an LMU member outside the HMU does not review");

    // A comment anchored with Yjs relative positions on the reworded point.
    let (start, end) = {
        use yrs::updates::encoder::Encode;
        use yrs::{Assoc, IndexedSequence, ReadTxn, Transact, XmlFragment};
        let txn = editor.doc.transact();
        let fragment = txn.get_xml_fragment("default").unwrap();
        let list = fragment.get(&txn, 1).unwrap().into_xml_element().unwrap();
        let item = list.get(&txn, 0).unwrap().into_xml_element().unwrap();
        let p = item.get(&txn, 0).unwrap().into_xml_element().unwrap();
        let text = p.get(&txn, 0).unwrap().into_xml_text().unwrap();
        let s = text.sticky_index(&txn, 0, Assoc::After).unwrap();
        let e = text.sticky_index(&txn, 12, Assoc::Before).unwrap();
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        (b64.encode(s.encode_v1()), b64.encode(e.encode_v1()))
    };
    let (status, comment) = member
        .post(
            &format!("/api/hearings/{id}/comments"),
            &json!({"version_id": v_shared, "anchor_start": start, "anchor_end": end,
                    "quote": "Medarbejdern", "body": "Hvilke medarbejdere?"}),
        )
        .await;
    assert_eq!(status, 201, "{comment}");
    let (status, bad) = member
        .post(
            &format!("/api/hearings/{id}/comments"),
            &json!({"anchor_start": "aGVq", "quote": "x", "body": "y"}),
        )
        .await;
    assert_eq!(status, 422, "not a relative position: {bad}");
    let (status, _) = member
        .post(
            &format!("/api/hearings/{id}/comments/{}/resolve", comment["id"]),
            &json!({"resolution": "ok"}),
        )
        .await;
    assert_eq!(status, 403, "only chairs resolve");
    let (status, _) = chair
        .post(
            &format!("/api/hearings/{id}/comments/{}/resolve", comment["id"]),
            &json!({"resolution": "Præciseret"}),
        )
        .await;
    assert_eq!(status, 204);
    let (_, review) = chair.get(&format!("/api/hearings/{id}/review")).await;
    let change = review["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key.as_str())
        .unwrap();
    assert_eq!(change["object"][0]["name"], "Gitte Damgaard");
    assert_eq!(change["notes"][0], "Gitte Damgaard: For bredt");
    assert_eq!(review["comments"][0]["resolved"], true);
    assert_eq!(review["comments"][0]["anchor_start"], start);

    // Both chairs approve; an edit afterwards voids the approval, visibly.
    let (status, _) = member
        .post(
            &format!("/api/hearings/{id}/approve"),
            &json!({"version_id": v_shared}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, body) = chair
        .post(
            &format!("/api/hearings/{id}/approve"),
            &json!({"version_id": v_shared}),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let (_, h) = chair.get(&format!("/api/hearings/{id}")).await;
    assert_eq!(h["state"], "in_review", "one of two chairs");
    vice.post(
        &format!("/api/hearings/{id}/approve"),
        &json!({"version_id": v_shared}),
    )
    .await;
    let (_, h) = chair.get(&format!("/api/hearings/{id}")).await;
    assert_eq!(h["state"], "approved");
    assert!(
        editor
            .edit(|txn| {
                samskriv::model::write::insert_blocks(
                    txn,
                    0,
                    &doc(&[(P, "En sidste tilføjelse.")]),
                )
                .unwrap();
            })
            .await
    );
    wait_for_state(&chair, id, "in_review").await;
    let (_, review) = chair.get(&format!("/api/hearings/{id}/review")).await;
    assert_eq!(review["approval"]["met"], false);
    assert_eq!(review["approval"]["voided"].as_array().unwrap().len(), 2);
    assert_eq!(
        review["approval"]["voided"][0]["reason"],
        "teksten blev ændret efter godkendelsen"
    );
    let (status, body) = chair
        .post(&format!("/api/hearings/{id}/freeze"), &json!({}))
        .await;
    assert_eq!(status, 409, "{body}");

    // Shared again and approved by both, it is frozen.
    let (_, shared) = chair
        .post(
            &format!("/api/hearings/{id}/share"),
            &json!({"name": "Endeligt udkast"}),
        )
        .await;
    let v2 = shared["version_id"].as_i64().unwrap();
    let (_, review) = member.get(&format!("/api/hearings/{id}/review")).await;
    assert_eq!(review["since"], "previous_shared");
    assert_eq!(review["live_differs"], false);
    assert!(review["seen_version_id"].is_null());
    member
        .post(
            &format!("/api/hearings/{id}/review/seen"),
            &json!({"version_id": v2}),
        )
        .await;
    for api in [&chair, &vice] {
        let (status, body) = api
            .post(
                &format!("/api/hearings/{id}/approve"),
                &json!({"version_id": v2}),
            )
            .await;
        assert_eq!(status, 204, "{body}");
    }
    let (status, frozen) = chair
        .post(&format!("/api/hearings/{id}/freeze"), &json!({}))
        .await;
    assert_eq!(status, 201, "{frozen}");
    let record_id = frozen["record_id"].as_i64().unwrap();
    let (_, review) = member.get(&format!("/api/hearings/{id}/review")).await;
    assert_eq!(review["seen_version_id"], v2);
    let (_, records) = member.get("/api/records").await;
    assert_eq!(records[0]["id"], record_id, "{records}");
    assert_eq!(records[0]["filed"], false);
    let (_, record) = member.get(&format!("/api/records/{record_id}")).await;
    assert_eq!(
        record["responses"][0]["submitted_by"]["name"],
        "Anne Jensen"
    );
    assert_eq!(
        record["blocks"]["blocks"][0]["inlines"][0]["text"],
        "En sidste tilføjelse."
    );
    assert_eq!(record["approved_by"].as_array().unwrap().len(), 2);
    assert_eq!(record["sha256"].as_str().unwrap().len(), 64);
    let (_, check) = member
        .get(&format!("/api/records/{record_id}/verify"))
        .await;
    assert_eq!(check["ok"], true, "{check}");

    // Frozen: every write is refused, over the WebSocket and over HTTP, for everyone.
    assert!(
        !editor
            .edit(|txn| {
                samskriv::model::write::insert_blocks(txn, 0, &doc(&[(P, "For sent.")])).unwrap();
            })
            .await
    );
    editor.close().await;
    let token = server.rw(&joint, "script");
    let res = reqwest::Client::new()
        .post(server.http_url(&format!("/api/documents/{joint}/updates?token={token}")))
        .body(LocalDoc::new().append("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);

    // The minutes: a meeting, an item, and the record filed with both LMU responses under it.
    let (status, meeting) = secretariat
        .post(
            "/api/meetings",
            &json!({"date": "2023-09-25", "start_time": "14:00", "end_time": "15:00",
                    "place": "Virtuelt møde", "initials": "/MELU"}),
        )
        .await;
    assert_eq!(status, 201, "{meeting}");
    let (status, item) = secretariat
        .post(
            &format!("/api/meetings/{}/items", meeting["id"]),
            &json!({"title": "Drøftelse af HMU formandskabets udkast til høringssvar",
                    "time_start": "14:05", "time_end": "14:30", "case_number": "1-30-73-60-23",
                    "recommendation": ["drøfter HMU-formandskabets udkast til høringssvar"],
                    "presentation": "Udkastet har været i høring i LMU'erne.",
                    "decision": "Der var bred opbakning."}),
        )
        .await;
    assert_eq!(status, 201, "{item}");
    let (status, _) = chair
        .post(
            &format!("/api/records/{record_id}/file"),
            &json!({"agenda_item_id": item["id"]}),
        )
        .await;
    assert_eq!(status, 403, "the secretariat files");
    let (status, filed) = secretariat
        .post(
            &format!("/api/records/{record_id}/file"),
            &json!({"agenda_item_id": item["id"]}),
        )
        .await;
    assert_eq!(status, 201, "{filed}");
    let (status, _) = secretariat
        .post(
            &format!("/api/records/{record_id}/file"),
            &json!({"agenda_item_id": item["id"]}),
        )
        .await;
    assert_eq!(status, 409, "filed once");
    let (_, record) = member.get(&format!("/api/records/{record_id}")).await;
    assert_eq!(record["filed"][0]["meeting_date"], "2023-09-25");
    assert_eq!(record["filed"][0]["committee"], "HMU Socialområdet");
    let (_, m) = member
        .get(&format!("/api/meetings/{}", meeting["id"]))
        .await;
    let attachment = &m["items"][0]["attachments"][0];
    assert_eq!(attachment["kind"], "record");
    let children: Vec<&str> = attachment["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        children,
        ["LMU høringssvar fra SBU", "LMU høringssvar fra SAU"]
    );
    let res = member
        .request(
            reqwest::Method::GET,
            &format!(
                "/api/meetings/{}/document?kind=minutes&format=pdf",
                meeting["id"]
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF-"));
    let res = member
        .request(
            reqwest::Method::GET,
            &format!("/api/meetings/{}/document?kind=minutes", meeting["id"]),
        )
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    for text in [
        "Referat",
        "Beslutning",
        "Der var bred opbakning.",
        "LMU høringssvar fra SAU",
    ] {
        assert!(html.contains(text), "{text} missing from the minutes");
    }
    for (format, magic) in [
        ("pdf", &b"%PDF-"[..]),
        ("docx", b"PK\x03\x04"),
        ("html", b"<!DOCTYPE"),
        ("md", b"#"),
    ] {
        let res = member
            .request(
                reqwest::Method::GET,
                &format!("/api/records/{record_id}/export?format={format}"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{format}");
        let bytes = res.bytes().await.unwrap();
        assert!(
            bytes
                .to_ascii_uppercase()
                .starts_with(&magic.to_ascii_uppercase()),
            "{format}: {:?}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(40)])
        );
    }
    // The record's PDF reads back as the record: its text, æ ø å, and its hash.
    let pdf = member
        .request(
            reqwest::Method::GET,
            &format!("/api/records/{record_id}/export?format=pdf"),
        )
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let path = server.dir.path().join("record.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils; scripts/test.sh installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "En sidste tilføjelse.",
        "HMU's samlede bemærkninger",
        "Medarbejderne skal altid inddrages",
        record["sha256"].as_str().unwrap(),
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not in the PDF:\n{text}"
        );
    }
    let child = attachment["children"][0]["id"].as_i64().unwrap();
    let res = member
        .request(
            reqwest::Method::GET,
            &format!("/api/attachments/{child}?format=pdf"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);

    // After a restart the record is still read-only, and verification finds one changed byte.
    server.terminate();
    server.restart();
    let mut again = YClient::connect(&server, &joint, None, &format!("?token={token}")).await;
    assert!(
        !again
            .edit(|txn| {
                samskriv::model::write::insert_blocks(txn, 0, &doc(&[(P, "Efter genstart.")]))
                    .unwrap();
            })
            .await
    );
    again.close().await;
    server.terminate();
    let verify = |server: &TestServer| {
        std::process::Command::new(env!("CARGO_BIN_EXE_samskriv"))
            .args([
                "verify",
                "--record",
                &record_id.to_string(),
                "--database-url",
            ])
            .arg(server.database_url())
            .arg("--data-dir")
            .arg(server.dir.path())
            .output()
            .unwrap()
    };
    let ok = verify(&server);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("verified"));
    common::tamper_with_record(&server.database_url(), record_id).await;
    let bad = verify(&server);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("does NOT verify"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    server.restart();
    let member = Api::demo(server.port, "dok.formand@demo.samskriv.dk").await;
    let (_, check) = member
        .get(&format!("/api/records/{record_id}/verify"))
        .await;
    assert_eq!(check["ok"], false, "{check}");
    assert!(check["detail"].as_str().unwrap().contains("SHA-256"));
    let _ = Value::Null;
    let _ = Marks::default();
}
