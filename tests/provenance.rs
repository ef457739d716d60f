//! Provenance survives what chairs do to a passage — rewording it, splitting it, merging it with
//! another, and two chairs editing it at once — with real Yjs clients (npm yjs and y-websocket,
//! tests/js/scenario.mjs `provenance`) on the joint response of the demo's seed hearing, whose
//! nine LMU responses are submitted.

mod common;

use common::{Api, TestServer, scenario};
use serde_json::{Value, json};

/// The first paragraph of an LMU's response with some substance, from the workspace.
fn paragraph_of(workspace: &Value, short: &str) -> (i64, u64) {
    let r = workspace["responses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["committee"]["short_name"] == short)
        .unwrap_or_else(|| panic!("no response from {short}"));
    let block = r["blocks"]["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .position(|b| {
            b["type"] == "paragraph"
                && b["inlines"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["text"].as_str().unwrap().len())
                    .sum::<usize>()
                    > 80
        })
        .unwrap_or_else(|| panic!("no long paragraph from {short}"));
    (r["response_id"].as_i64().unwrap(), block as u64)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provenance_survives_rewording_splitting_merging_and_two_chairs_at_once() {
    let server = TestServer::start_with(&["--demo"]);
    let chair = Api::demo(server.port, "formand@demo.samskriv.dk").await;
    let vice = Api::demo(server.port, "naestformand@demo.samskriv.dk").await;
    let (status, workspace) = chair.get("/api/hearings/1/consolidation").await;
    assert_eq!(status, 200, "{workspace}");
    assert_eq!(workspace["responses"].as_array().unwrap().len(), 9);
    let joint = workspace["joint_document_id"].as_str().unwrap().to_owned();

    // Three passages, one after the other: SBU's, SAU's, SVO's.
    for (i, short) in ["SBU", "SAU", "SVO"].iter().enumerate() {
        let (response, block) = paragraph_of(&workspace, short);
        let after = if i == 0 { Value::Null } else { json!(i - 1) };
        let (status, body) = chair
            .post(
                "/api/hearings/1/passages",
                &json!({"response_id": response, "blocks": [block], "after_block": after}),
            )
            .await;
        assert_eq!(status, 200, "{short}: {body}");
    }
    let (_, report) = chair.get("/api/hearings/1/provenance").await;
    let committees = |report: &Value| -> Vec<Vec<String>> {
        report["report"]["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                b["committees"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_owned())
                    .collect()
            })
            .collect()
    };
    assert_eq!(committees(&report), [["SBU"], ["SAU"], ["SVO"]]);

    // The two chairs, as real Yjs clients with their API tokens.
    let mut tokens = Vec::new();
    for api in [&chair, &vice] {
        let (status, t) = api.post("/api/tokens", &json!({"name": "test"})).await;
        assert_eq!(status, 201, "{t}");
        tokens.push(t["token"].as_str().unwrap().to_owned());
    }
    let result = scenario(
        "provenance",
        json!({"url": server.ws_url(), "doc": joint, "tokens": tokens, "timeoutMs": 60000}),
    )
    .await;

    // The server's reading of the document is the clients'.
    let (status, content) = chair.get(&format!("/api/documents/{joint}/content")).await;
    assert_eq!(status, 200);
    assert_eq!(
        content, result["content"],
        "the server and Yjs read the same"
    );

    // Reworded and edited by two chairs at once: still SBU's. Split: both halves SAU's.
    // Merged: the joined paragraph draws on both SAU and SVO.
    let (_, report) = chair.get("/api/hearings/1/provenance").await;
    let blocks = committees(&report);
    assert_eq!(blocks.len(), 3, "{report}");
    assert_eq!(blocks[0], ["SBU"], "{report}");
    assert_eq!(blocks[1], ["SAU"], "{report}");
    assert_eq!(blocks[2], ["SAU", "SVO"], "{report}");
    let first = &report["joint"]["blocks"][0];
    let text: String = first["inlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["text"].as_str().unwrap())
        .collect();
    assert!(text.contains("som HMU ser det, "), "{text}");
    assert!(text.contains("klart "), "{text}");
    assert!(text.contains("(tilføjet af næstformanden)"), "{text}");
    // The text typed inside the passage carries its mark: the whole block is SBU's.
    let marked = &report["report"]["blocks"][0]["marked"][0];
    assert_eq!(marked["committee"], "SBU");
    assert_eq!(
        report["report"]["blocks"][0]["unmarked_chars"], 0,
        "{report}"
    );
    // Each LMU's point is counted as reflected.
    for short in ["SBU", "SAU", "SVO"] {
        let c = report["report"]["committees"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["committee"] == short)
            .unwrap();
        assert!(c["reflected"].as_u64().unwrap() >= 1, "{c}");
    }
    // DOK's concrete points (its list) are nowhere in the draft.
    let untouched = report["report"]["committees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["committee"] == "DOK")
        .unwrap();
    let list_points: Vec<&Value> = untouched["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"]["type"] == "list_item")
        .collect();
    assert!(list_points.len() >= 3, "{untouched}");
    assert!(
        list_points.iter().all(|p| p["reflected"] == false),
        "{untouched}"
    );
}
