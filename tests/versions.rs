//! Versions of a live document: every version restores to exactly the text it kept, over many
//! versions of a typing session (versions are full-state updates, never yrs snapshots, which
//! restore wrongly in yrs 0.28: design.md §6); and diffs name who inserted and who deleted what,
//! also after the update log was folded into a snapshot.

mod common;

use std::time::Duration;

use common::{Api, HearingEvents, TestServer, YClient};
use samskriv::model::{Block, BlockKind, Blocks};
use serde_json::json;
use yrs::{ReadTxn, Text, XmlFragment};

/// The Y.XmlText of top-level paragraph `i` of the joint response.
fn paragraph(txn: &mut yrs::TransactionMut, i: u32) -> yrs::XmlTextRef {
    let fragment = txn.get_xml_fragment("default").expect("fragment");
    let p = fragment.get(txn, i).unwrap().into_xml_element().unwrap();
    p.get(txn, 0).unwrap().into_xml_text().unwrap()
}

/// A small deterministic generator (xorshift), so failures repeat.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u32) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % u64::from(n.max(1))) as u32
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_versions_of_a_typing_session_restore_exactly() {
    let server = TestServer::start_with(&["--demo"]);
    let chair = Api::demo(server.port, "formand@demo.samskriv.dk").await;
    let joint = "h1-hmu";
    let mut editor = YClient::connect(&server, joint, Some(&chair), "").await;
    assert!(
        editor
            .edit(|txn| {
                samskriv::model::write::insert_blocks(
                    txn,
                    0,
                    &Blocks {
                        blocks: vec![
                            Block::plain(BlockKind::Paragraph, "Første afsnit."),
                            Block::plain(BlockKind::Paragraph, "Andet afsnit."),
                        ],
                    },
                )
                .unwrap();
            })
            .await
    );
    // Typing in bursts (inserting and deleting characters, splitting words), with a version
    // after each burst: versions that fall inside merged blocks are what yrs' own snapshots
    // get wrong.
    let mut rng = Rng(0x5eed);
    let mut versions = Vec::new();
    for round in 0..25 {
        for _ in 0..8 {
            let which = rng.next(2);
            let pick = rng.next(1000);
            let ch = ["a", "æ", "ø", "å", " ", "e"][rng.next(6) as usize];
            let delete = rng.next(4) == 0;
            assert!(
                editor
                    .edit(move |txn| {
                        let text = paragraph(txn, which);
                        let len = text.len(txn);
                        if delete && len > 2 {
                            text.remove_range(txn, pick % (len - 1), 1);
                        } else {
                            text.insert(txn, pick % (len + 1), ch);
                        }
                    })
                    .await
            );
        }
        let (status, v) = chair
            .post(
                &format!("/api/documents/{joint}/versions"),
                &json!({"name": format!("Version {round}")}),
            )
            .await;
        assert_eq!(status, 201, "{v}");
        versions.push((v["id"].as_i64().unwrap(), editor.blocks()));
    }
    // Each version kept exactly the text at its moment, and restores to it.
    for (id, blocks) in versions.iter().rev() {
        let (_, v) = chair.get(&format!("/api/versions/{id}")).await;
        let kept: Blocks = serde_json::from_value(v["blocks"].clone()).unwrap();
        assert_eq!(&kept, blocks, "version {id} kept something else");
    }
    editor.close().await;
    for (id, blocks) in versions.iter().step_by(6) {
        let (status, body) = chair
            .post(&format!("/api/versions/{id}/restore"), &json!({}))
            .await;
        assert_eq!(status, 200, "{body}");
        let reader = YClient::connect(&server, joint, Some(&chair), "").await;
        assert_eq!(&reader.blocks(), blocks, "restoring version {id}");
        reader.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diffs_name_who_inserted_and_who_deleted_also_after_compaction() {
    let server = TestServer::start_with(&["--demo", "--compact-after", "5"]);
    let chair = Api::demo(server.port, "formand@demo.samskriv.dk").await;
    let vice = Api::demo(server.port, "naestformand@demo.samskriv.dk").await;
    let joint = "h1-hmu";
    let mut a = YClient::connect(&server, joint, Some(&chair), "").await;
    assert!(
        a.edit(|txn| {
            samskriv::model::write::insert_blocks(
                txn,
                0,
                &Blocks {
                    blocks: vec![Block::plain(
                        BlockKind::Paragraph,
                        "HMU støtter planen uden forbehold og med stor glæde.",
                    )],
                },
            )
            .unwrap();
        })
        .await
    );
    let (_, v1) = chair
        .post(
            &format!("/api/documents/{joint}/versions"),
            &json!({"name": "Før næstformanden"}),
        )
        .await;
    a.close().await;
    // The vice chair deletes "uden forbehold og " and adds a sentence, in many small edits, so
    // that the log is folded into a snapshot meanwhile.
    let mut b = YClient::connect(&server, joint, Some(&vice), "").await;
    assert!(
        b.edit(|txn| paragraph(txn, 0).remove_range(txn, 19, 18))
            .await
    );
    for word in [" Dog", " skal", " arbejdsmiljøet", " følges", " tæt."] {
        assert!(
            b.edit(move |txn| {
                let text = paragraph(txn, 0);
                let end = text.len(txn);
                text.insert(txn, end, word);
            })
            .await
        );
    }
    b.close().await;
    let mut folded = 0.0;
    for _ in 0..100 {
        folded = server.metric("samskriv_compactions_total").await;
        if folded >= 1.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(folded >= 1.0, "the log was never folded");
    let (status, diff) = chair
        .get(&format!(
            "/api/documents/{joint}/diff?from={}&to=live",
            v1["id"]
        ))
        .await;
    assert_eq!(status, 200, "{diff}");
    let spans = diff["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["spans"].as_array().unwrap().iter())
        .collect::<Vec<_>>();
    let deleted: Vec<_> = spans.iter().filter(|s| s["op"] == "deleted").collect();
    let inserted: Vec<_> = spans.iter().filter(|s| s["op"] == "inserted").collect();
    let deleted_text: String = deleted
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(deleted_text.contains("forbehold"), "{diff}");
    assert!(
        deleted.iter().all(|s| s["author"] == "Karsten Dahl"),
        "who deleted: {diff}"
    );
    assert!(
        inserted
            .iter()
            .any(|s| s["text"].as_str().unwrap().contains("arbejdsmiljøet")),
        "{diff}"
    );
    assert!(
        inserted.iter().all(|s| s["author"] == "Karsten Dahl"),
        "who inserted: {diff}"
    );
}

/// A named version is news to the other chair's open workspace, which lists the versions: its
/// hearing's event stream says the hearing changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_named_version_tells_the_other_chairs_workspace() {
    let server = TestServer::start_with(&["--demo"]);
    let chair = Api::demo(server.port, "formand@demo.samskriv.dk").await;
    let vice = Api::demo(server.port, "naestformand@demo.samskriv.dk").await;
    let mut events = HearingEvents::open(&vice, 1).await;
    let (status, v) = chair
        .post(
            "/api/documents/h1-hmu/versions",
            &json!({"name": "Udkast til mødet"}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    events.until_hearing_changed().await;
    let (_, list) = vice.get("/api/documents/h1-hmu/versions").await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|x| x["name"] == "Udkast til mødet"),
        "{list}"
    );
}
