//! Tests of the diff: crafted cases, attribution, HTML, and properties on random documents.

use std::collections::HashMap;

use proptest::prelude::*;
use yrs::{Text, Transact, XmlFragment};

use super::diff::*;
use super::read::{Reading, read_with_ids};
use super::tests::{arb_blocks, blocks, copy_doc, doc, h, li, p, prov};
use super::write::insert_blocks;
use super::*;

fn spans(e: &Entry) -> Vec<(SpanOp, &str)> {
    e.spans.iter().map(|s| (s.op, s.text.as_str())).collect()
}

fn check(old: &Blocks, new: &Blocks) -> Diff {
    let d = diff(old, new);
    assert_eq!(
        apply(old, &d).as_ref(),
        Ok(new),
        "apply gives the new blocks"
    );
    assert_eq!(
        old_blocks(&d).as_ref(),
        Ok(old),
        "the diff describes the old blocks"
    );
    d
}

const A: &str = "Høringssvaret fra LMU SBU handler om arbejdsmiljøet på botilbuddene.";
const B: &str = "Medarbejderne skal inddrages tidligt i implementeringen af planen.";
const C: &str = "Økonomien skal følges tæt, så besparelser ikke rammer borgerne.";
const D: &str = "Vi ønsker en status på kompetenceudviklingen hvert halve år.";
const E: &str = "Samarbejdet med pårørende skal styrkes på alle matrikler.";

#[test]
fn equal_versions_have_no_changes() {
    let v = blocks(vec![h(1, "Titel"), p(A), li(0, B)]);
    let d = check(&v, &v);
    assert!(d.entries.iter().all(|e| e.change == Change::Unchanged));
    assert_eq!(d.summary.unchanged, 3);
    assert_eq!(d.summary.text, "Ingen ændringer.");
}

#[test]
fn words_are_inserted_with_danish_letters() {
    let old = blocks(vec![p("Arbejdsmiljøet skal følges.")]);
    let new = blocks(vec![p("Arbejdsmiljøet på Ærø skal følges tæt.")]);
    let d = check(&old, &new);
    assert_eq!(d.entries.len(), 1);
    assert_eq!(d.entries[0].change, Change::Changed);
    assert_eq!(
        spans(&d.entries[0]),
        vec![
            (SpanOp::Equal, "Arbejdsmiljøet "),
            (SpanOp::Inserted, "på Ærø "),
            (SpanOp::Equal, "skal følges"),
            (SpanOp::Inserted, " tæt"),
            (SpanOp::Equal, "."),
        ]
    );
    assert_eq!(d.summary.words_inserted, 3);
    assert_eq!(d.summary.changed, 1);
    assert_eq!(
        d.summary.text,
        "1 afsnit ændret; 3 ord indsat og 0 slettet."
    );
}

#[test]
fn a_rewritten_phrase_is_one_deletion_and_one_insertion() {
    let old = blocks(vec![p("Vi er meget glade for planen i sin helhed")]);
    let new = blocks(vec![p("Vi er ikke overbeviste om planen i sin helhed")]);
    let d = check(&old, &new);
    assert_eq!(
        spans(&d.entries[0]),
        vec![
            (SpanOp::Equal, "Vi er "),
            (SpanOp::Deleted, "meget glade for"),
            (SpanOp::Inserted, "ikke overbeviste om"),
            (SpanOp::Equal, " planen i sin helhed"),
        ]
    );
}

#[test]
fn moved_blocks_are_moves() {
    let old = blocks(vec![p(A), p(B), p(C), p(D), p(E)]);
    let new = blocks(vec![p(A), p(C), p(D), p(E), p(B)]);
    let d = check(&old, &new);
    assert_eq!(d.summary.moved, 1);
    assert_eq!(
        d.summary.inserted + d.summary.deleted + d.summary.changed,
        0
    );
    let moved = d
        .entries
        .iter()
        .find(|e| e.change == Change::Moved)
        .expect("moved");
    assert_eq!((moved.old_index, moved.new_index), (Some(1), Some(4)));
    let away = d
        .entries
        .iter()
        .position(|e| e.change == Change::MovedAway)
        .expect("moved away");
    assert_eq!(away, 1, "the place it left is where it stood");
    assert_eq!(d.entries[away].new_index, Some(4));
}

#[test]
fn moved_and_edited_blocks_are_moves_with_word_changes() {
    let old = blocks(vec![p(A), p(B), p(C), p(D), p(E)]);
    let edited = B.replace("tidligt", "allerede fra start");
    let new = blocks(vec![p(A), p(C), p(D), p(&edited), p(E)]);
    let d = check(&old, &new);
    let moved = d
        .entries
        .iter()
        .find(|e| e.change == Change::Moved)
        .expect("moved");
    assert_eq!(moved.old_index, Some(1));
    assert!(
        moved
            .similarity
            .is_some_and(|s| (MOVED_MIN..1.0).contains(&s))
    );
    assert!(spans(moved).contains(&(SpanOp::Deleted, "tidligt")));
    assert!(spans(moved).contains(&(SpanOp::Inserted, "allerede fra start")));
}

#[test]
fn the_same_text_twice_moves_once() {
    let old = blocks(vec![p(A), p(B), p(C), p(A)]);
    let new = blocks(vec![p(B), p(A), p(C), p(A)]);
    let d = check(&old, &new);
    assert_eq!(d.summary.inserted + d.summary.deleted, 0);
}

#[test]
fn inserted_and_deleted_blocks() {
    let old = blocks(vec![p(A), p(B), p(C)]);
    let new = blocks(vec![p(A), p(D), p(C), li(0, E)]);
    let d = check(&old, &new);
    let changes: Vec<Change> = d.entries.iter().map(|e| e.change).collect();
    assert_eq!(
        changes,
        vec![
            Change::Unchanged,
            Change::Deleted,
            Change::Inserted,
            Change::Unchanged,
            Change::Inserted
        ]
    );
    assert_eq!(
        d.summary.text,
        format!(
            "2 afsnit indsat, 1 slettet; {} ord indsat og {} slettet.",
            d.summary.words_inserted, d.summary.words_deleted
        )
    );
}

#[test]
fn kind_and_format_changes() {
    let bold = Marks {
        bold: true,
        ..Marks::default()
    };
    let old = blocks(vec![p("Indledning"), p("Det er vigtigt.")]);
    let new = blocks(vec![
        h(2, "Indledning"),
        Block {
            kind: BlockKind::Paragraph,
            inlines: vec![
                Inline {
                    text: "Det er ".into(),
                    marks: Marks::default(),
                },
                Inline {
                    text: "vigtigt".into(),
                    marks: bold.clone(),
                },
                Inline {
                    text: ".".into(),
                    marks: Marks::default(),
                },
            ],
        },
    ]);
    let d = check(&old, &new);
    assert_eq!(d.entries[0].change, Change::Changed);
    assert_eq!(d.entries[0].old_kind, Some(BlockKind::Paragraph));
    let format = &d.entries[1].spans[1];
    assert_eq!(format.op, SpanOp::Equal);
    assert_eq!(format.marks, bold);
    assert_eq!(format.old_marks, Some(Marks::default()));
    let html = render_html(&d);
    assert!(
        html.contains("Ændret (fra afsnit til overskrift 2)"),
        "{html}"
    );
    assert!(html.contains("formatering ændret"));
}

#[test]
fn provenance_changes_keep_the_text_equal() {
    let old = blocks(vec![p("Lånt tekst")]);
    let new = blocks(vec![Block {
        kind: BlockKind::Paragraph,
        inlines: vec![Inline {
            text: "Lånt tekst".into(),
            marks: prov("SBU", 1, 0),
        }],
    }]);
    let d = check(&old, &new);
    assert_eq!(spans(&d.entries[0]), vec![(SpanOp::Equal, "Lånt tekst")]);
}

#[test]
fn empty_and_degenerate_inputs() {
    let empty = Blocks::default();
    check(&empty, &empty);
    check(&empty, &blocks(vec![p(A)]));
    check(&blocks(vec![p(A)]), &empty);
    let blank = Block {
        kind: BlockKind::Paragraph,
        inlines: Vec::new(),
    };
    check(
        &blocks(vec![blank.clone(), p(A)]),
        &blocks(vec![p(A), blank.clone(), blank]),
    );
    // One enormous paragraph rewritten from end to end stays fast and correct.
    let long_old: String = (0..5000).map(|i| format!("ord{i} ")).collect();
    let long_new: String = (0..5000).map(|i| format!("andet{i} ")).collect();
    check(&blocks(vec![p(&long_old)]), &blocks(vec![p(&long_new)]));
}

#[test]
fn apply_refuses_other_old_blocks() {
    let old = blocks(vec![p(A), p(B)]);
    let new = blocks(vec![p(A), p(C)]);
    let d = diff(&old, &new);
    assert_eq!(
        apply(&blocks(vec![p(A), p(D)]), &d),
        Err(ApplyError::Mismatch(1))
    );
    assert!(apply(&blocks(vec![p(A)]), &d).is_err());
}

#[test]
fn serialises_to_json_and_back() {
    let old = blocks(vec![p(A), p(B), h(1, "X")]);
    let new = blocks(vec![p(B), p(A), h(2, "X y")]);
    let d = diff(&old, &new);
    let json = serde_json::to_string(&d).expect("json");
    let back: Diff = serde_json::from_str(&json).expect("parse");
    assert_eq!(back, d);
    let value: serde_json::Value = serde_json::from_str(&json).expect("value");
    assert!(value["entries"][0]["change"].is_string());
    assert!(value["entries"][0]["kind"]["type"].is_string());
}

#[test]
fn html_is_escaped_and_labelled() {
    let old = blocks(vec![p("Sikker <tekst> & mere"), p(A), p(B), p(C)]);
    let new = blocks(vec![
        p("Sikker <script>alert('x')</script> & mere"),
        p(B),
        p(C),
        p(A),
    ]);
    let d = diff(&old, &new);
    let html = render_html(&d);
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<tekst>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("<ins><span class=\"visually-hidden\">indsat: </span>"));
    assert!(html.contains("<del><span class=\"visually-hidden\">slettet: </span>"));
    assert!(html.contains("slut indsat"));
    assert!(html.contains("Flyttet hertil fra afsnit 2"));
    assert!(html.contains("Flyttet herfra til afsnit 4"));
    assert!(DIFF_CSS.contains("line-through"));
    assert!(!html.contains("style="));
    let page = render_html_page(&d, "Ændringer <siden> version 1");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<html lang=\"da\">"));
    assert!(page.contains("<title>Ændringer &lt;siden&gt; version 1</title>"));
    assert!(page.contains(".visually-hidden"));
}

// ---------------------------------------------------------------------------------------------
// Attribution

fn text_of(d: &yrs::Doc) -> yrs::XmlTextRef {
    let f = d.get_or_insert_xml_fragment("default");
    let txn = d.transact();
    let Some(yrs::XmlOut::Element(para)) = f.get(&txn, 1) else {
        panic!("paragraph")
    };
    let Some(yrs::XmlOut::Text(t)) = para.get(&txn, 0) else {
        panic!("text")
    };
    t
}

#[test]
fn spans_carry_their_authors() {
    // Anne (client 1) writes a heading and a paragraph.
    let anne = doc(1);
    insert_blocks(
        &mut anne.transact_mut(),
        0,
        &blocks(vec![h(1, "Svar"), p("Vi bakker op om planen.")]),
    )
    .expect("insert");
    let v1: Reading = read_with_ids(&mut anne.transact_mut());

    // Bo (client 2) inserts a word, deletes one, and adds a paragraph.
    let bo = copy_doc(&anne, 2);
    {
        let t = text_of(&bo);
        let mut txn = bo.transact_mut();
        // "Vi bakker op om planen." → "Vi bakker fuldt op om planen." then delete "om "
        t.insert(&mut txn, 10, "fuldt ");
        t.remove_range(&mut txn, 19, 3);
    }
    insert_blocks(
        &mut bo.transact_mut(),
        2,
        &blocks(vec![p("Bos nye afsnit.")]),
    )
    .expect("add");
    let v2 = read_with_ids(&mut bo.transact_mut());
    assert_eq!(v2.blocks.blocks[1].text(), "Vi bakker fuldt op planen.");

    // Which of Anne's items Bo deleted: "om " in her paragraph.
    let om = v1.ids[1].expand(&v1.blocks.blocks[1].text());
    let first = om[13].expect("id");
    let attribution = Attribution {
        users: HashMap::from([(1, "Anne Hansen".to_owned()), (2, "Bo Nielsen".to_owned())]),
        deletions: vec![Deletion {
            client: first.client,
            clocks: first.clock..first.clock + 3,
            user: "Bo Nielsen".into(),
        }],
    };
    let d = diff_attributed(&v1, &v2, &attribution);
    assert_eq!(apply(&v1.blocks, &d).as_ref(), Ok(&v2.blocks));
    let changed = &d.entries[1];
    let inserted = changed
        .spans
        .iter()
        .find(|s| s.op == SpanOp::Inserted)
        .expect("inserted");
    assert_eq!(inserted.text, "fuldt ");
    assert_eq!(inserted.author.as_deref(), Some("Bo Nielsen"));
    let deleted = changed
        .spans
        .iter()
        .find(|s| s.op == SpanOp::Deleted)
        .expect("deleted");
    assert_eq!(deleted.text, "om ");
    assert_eq!(deleted.author.as_deref(), Some("Bo Nielsen"));
    assert_eq!(d.entries[2].change, Change::Inserted);
    assert_eq!(d.entries[2].spans[0].author.as_deref(), Some("Bo Nielsen"));
    let html = render_html(&d);
    assert!(html.contains("indsat af Bo Nielsen: "), "{html}");
    assert!(html.contains("slettet af Bo Nielsen: "));

    // Without a name for a client, or without deletion records, no author.
    let anonymous = diff_attributed(&v1, &v2, &Attribution::default());
    assert!(
        anonymous
            .entries
            .iter()
            .flat_map(|e| &e.spans)
            .all(|s| s.author.is_none())
    );
    assert_eq!(apply(&v1.blocks, &anonymous).as_ref(), Ok(&v2.blocks));
    // Without item IDs the diff goes by text alone and cannot tell which space went.
    let textual = diff(&v1.blocks, &v2.blocks);
    assert_eq!(apply(&v1.blocks, &textual).as_ref(), Ok(&v2.blocks));
}

// ---------------------------------------------------------------------------------------------
// Properties

/// Distinct paragraphs of several words.
fn arb_distinct(n: std::ops::Range<usize>) -> impl Strategy<Value = Blocks> {
    prop::collection::vec(prop::sample::select(&[A, B, C, D, E][..]), n).prop_map(|texts| Blocks {
        blocks: texts
            .iter()
            .enumerate()
            .map(|(k, t)| p(&format!("Afsnit{k}: {t}")))
            .collect(),
    })
}

#[derive(Debug, Clone)]
enum Edit {
    ChangeWord(usize, usize),
    Delete(usize),
    Insert(usize, String),
    Move(usize, usize),
}

fn arb_edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), any::<usize>()).prop_map(|(b, w)| Edit::ChangeWord(b, w)),
            any::<usize>().prop_map(Edit::Delete),
            (any::<usize>(), "[a-zæøå ]{1,30}").prop_map(|(b, t)| Edit::Insert(b, t)),
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Move(a, b)),
        ],
        0..6,
    )
}

fn edit(old: &Blocks, edits: &[Edit]) -> Blocks {
    let mut blocks = old.blocks.clone();
    for e in edits {
        let n = blocks.len();
        match e {
            Edit::ChangeWord(b, w) if n > 0 => {
                let block = &mut blocks[b % n];
                let text = block.text();
                let words: Vec<&str> = text.split(' ').collect();
                let k = w % words.len();
                let changed: Vec<String> = words
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        if i == k {
                            "ændret".to_owned()
                        } else {
                            (*x).to_owned()
                        }
                    })
                    .collect();
                *block = Block::plain(block.kind, &changed.join(" "));
            }
            Edit::Delete(b) if n > 0 => {
                blocks.remove(b % n);
            }
            Edit::Insert(b, t) => blocks.insert(b % (n + 1), p(t)),
            Edit::Move(a, b) if n > 0 => {
                let block = blocks.remove(a % n);
                blocks.insert(b % n, block);
            }
            _ => {}
        }
    }
    Blocks { blocks }.normalized()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// On unrelated random documents, the diff describes the old blocks and gives the new.
    #[test]
    fn applying_the_diff_gives_the_new_blocks(old in arb_blocks(10), new in arb_blocks(10)) {
        let (old, new) = (old.normalized(), new.normalized());
        let d = diff(&old, &new);
        prop_assert_eq!(apply(&old, &d), Ok(new.clone()));
        prop_assert_eq!(old_blocks(&d), Ok(old.clone()));
        let html = render_html(&d);
        prop_assert!(!html.contains("<b>"));
    }

    /// On realistic edits (words changed, blocks deleted, inserted and moved), likewise.
    #[test]
    fn applying_the_diff_after_edits(old in arb_distinct(0..12), edits in arb_edits()) {
        let new = edit(&old, &edits);
        let d = diff(&old, &new);
        prop_assert_eq!(apply(&old, &d), Ok(new.clone()));
        prop_assert_eq!(old_blocks(&d), Ok(old.clone()));
        // Every old block appears once on the old side, every new block once on the new.
        let olds = d.entries.iter().filter(|e| e.old_index.is_some() && e.change != Change::Moved).count();
        let news = d.entries.iter().filter(|e| e.new_index.is_some() && e.change != Change::MovedAway).count();
        prop_assert_eq!(olds, old.blocks.len());
        prop_assert_eq!(news, new.blocks.len());
    }

    /// A block moved two or more places (and perhaps edited a little) is found as a move.
    #[test]
    fn moved_blocks_are_found_as_moves(
        old in arb_distinct(4..14),
        from in any::<usize>(),
        to in any::<usize>(),
        reword in any::<bool>(),
    ) {
        let n = old.blocks.len();
        let from = from % n;
        let to = to % n;
        prop_assume!(from.abs_diff(to) >= 2);
        let mut blocks = old.blocks.clone();
        let mut moved = blocks.remove(from);
        if reword {
            moved = Block::plain(moved.kind, &moved.text().replacen(' ', " nu ", 1));
        }
        blocks.insert(to, moved.clone());
        let new = Blocks { blocks };
        let d = diff(&old, &new);
        prop_assert_eq!(apply(&old, &d), Ok(new.clone()));
        prop_assert_eq!(d.summary.moved, 1);
        prop_assert_eq!(d.summary.inserted + d.summary.deleted + d.summary.changed, 0);
        let entry = d.entries.iter().find(|e| e.change == Change::Moved).expect("moved");
        prop_assert_eq!(entry.old_index, Some(from as u32));
        prop_assert_eq!(entry.new_index, Some(to as u32));
    }
}

/// The Y.XmlText of top-level paragraph `k`.
fn paragraph_text(d: &yrs::Doc, k: u32) -> Option<yrs::XmlTextRef> {
    let f = d.get_or_insert_xml_fragment("default");
    let txn = d.transact();
    let Some(yrs::XmlOut::Element(para)) = f.get(&txn, k) else {
        return None;
    };
    match para.get(&txn, 0) {
        Some(yrs::XmlOut::Text(t)) => Some(t),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Two users edit one document: the attributed diff still applies, and every inserted
    /// span names a user.
    #[test]
    fn attributed_diffs_of_real_edits(
        texts in prop::collection::vec("[a-zæøå😀 ]{1,40}", 1..6),
        edits in prop::collection::vec((any::<u32>(), any::<usize>(), any::<bool>(), "[a-zæøå😀 ]{0,8}"), 0..10),
    ) {
        let anne = doc(1);
        insert_blocks(
            &mut anne.transact_mut(),
            0,
            &Blocks { blocks: texts.iter().map(|t| p(t)).collect() },
        ).expect("insert");
        let bo = copy_doc(&anne, 2);
        let nodes = bo.get_or_insert_xml_fragment("default").len(&bo.transact());
        for (node, at, delete, typed) in &edits {
            let Some(t) = paragraph_text(&bo, node % nodes.max(1)) else { continue };
            let current = {
                let txn = bo.transact();
                yrs::GetString::get_string(&t, &txn)
            };
            let chars = current.chars().count();
            let at_char = at % (chars + 1);
            // The default offset kind counts UTF-8 bytes.
            let byte = current.char_indices().nth(at_char).map_or(current.len(), |(b, _)| b);
            let mut txn = bo.transact_mut();
            if *delete && at_char < chars {
                let n = current[byte..].chars().take(3).map(char::len_utf8).sum::<usize>();
                t.remove_range(&mut txn, byte as u32, n as u32);
            } else {
                t.insert(&mut txn, byte as u32, typed);
            }
        }
        let v1 = read_with_ids(&mut anne.transact_mut());
        let v2 = read_with_ids(&mut bo.transact_mut());
        let attribution = Attribution {
            users: HashMap::from([(1, "Anne".to_owned()), (2, "Bo".to_owned())]),
            deletions: Vec::new(),
        };
        let d = diff_attributed(&v1, &v2, &attribution);
        prop_assert_eq!(apply(&v1.blocks, &d), Ok(v2.blocks.clone()));
        for span in d.entries.iter().flat_map(|e| &e.spans) {
            if span.op == SpanOp::Inserted {
                prop_assert!(span.author.is_some());
            }
        }
    }
}
