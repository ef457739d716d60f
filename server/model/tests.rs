//! Tests of reading and writing Tiptap-shaped documents, and shared generators for the
//! property tests of the model.

use std::collections::HashMap;
use std::sync::Arc;

use proptest::prelude::*;
use yrs::types::Attrs;
use yrs::updates::decoder::Decode;
use yrs::{
    Any, Doc, Options, ReadTxn, Text, Transact, Xml, XmlElementPrelim, XmlElementRef, XmlFragment,
    XmlTextPrelim, XmlTextRef,
};

use super::read::{MAX_LIST_DEPTH, read, read_positions, read_with_ids};
use super::write::{attributes, insert_after_block, insert_blocks, replace_all};
use super::*;

// ---------------------------------------------------------------------------------------------
// Helpers

pub(crate) fn doc(client: u64) -> Doc {
    Doc::with_options(Options {
        client_id: yrs::ClientID::new(client),
        ..Options::default()
    })
}

pub(crate) fn p(text: &str) -> Block {
    Block::plain(BlockKind::Paragraph, text)
}

pub(crate) fn h(level: u8, text: &str) -> Block {
    Block::plain(BlockKind::Heading { level }, text)
}

pub(crate) fn li(depth: u8, text: &str) -> Block {
    Block::plain(
        BlockKind::ListItem {
            ordered: false,
            depth,
        },
        text,
    )
}

pub(crate) fn blocks(list: Vec<Block>) -> Blocks {
    Blocks { blocks: list }
}

pub(crate) fn prov(committee: &str, version: i64, block: u32) -> Marks {
    Marks {
        provenance: Some(Provenance {
            committee: committee.into(),
            version,
            block,
        }),
        ..Marks::default()
    }
}

fn empty_map() -> Any {
    Any::Map(Arc::new(HashMap::new()))
}

fn attrs(pairs: &[(&str, Any)]) -> Attrs {
    pairs
        .iter()
        .map(|(k, v)| (Arc::from(*k), v.clone()))
        .collect()
}

/// A copy of `from` as another client would have it.
pub(crate) fn copy_doc(from: &Doc, client: u64) -> Doc {
    let copy = doc(client);
    let update = from
        .transact()
        .encode_state_as_update_v1(&yrs::StateVector::default());
    copy.transact_mut()
        .apply_update(yrs::Update::decode_v1(&update).expect("decode"))
        .expect("apply");
    copy
}

fn el<F: XmlFragment>(txn: &mut yrs::TransactionMut, parent: &F, tag: &str) -> XmlElementRef {
    let at = parent.len(txn);
    parent.insert(txn, at, XmlElementPrelim::empty(tag))
}

fn text<F: XmlFragment>(
    txn: &mut yrs::TransactionMut,
    parent: &F,
    runs: &[(&str, Attrs)],
) -> XmlTextRef {
    let at = parent.len(txn);
    let t = parent.insert(txn, at, XmlTextPrelim::new(""));
    for (s, a) in runs {
        let end = t.len(txn);
        t.insert_with_attributes(txn, end, s, a.clone());
    }
    t
}

fn plain(s: &str) -> (&str, Attrs) {
    (s, Attrs::new())
}

fn read_doc(d: &Doc) -> Blocks {
    read(&d.transact())
}

/// The canonical JSON of the fragment, as the Node test clients compare documents.
fn canonical(d: &Doc) -> serde_json::Value {
    crate::docs::content::canonical(&d.transact()).expect("canonical")["default"].clone()
}

// ---------------------------------------------------------------------------------------------
// Reading

#[test]
fn a_document_without_the_fragment_is_empty() {
    let d = doc(1);
    assert_eq!(read_doc(&d), Blocks::default());
    let _ = d.get_or_insert_text("text");
    assert_eq!(read_doc(&d), Blocks::default());
}

#[test]
fn reads_the_starter_kit_shape() {
    let d = doc(1);
    let f = d.get_or_insert_xml_fragment("default");
    {
        let mut txn = d.transact_mut();
        let head = el(&mut txn, &f, "heading");
        head.insert_attribute(&mut txn, "level", Any::Number(yrs::Number::Int(2)));
        text(&mut txn, &head, &[plain("Høringssvar fra LMU SBU")]);
        let para = el(&mut txn, &f, "paragraph");
        text(
            &mut txn,
            &para,
            &[
                plain("Vi "),
                ("bakker", attrs(&[("bold", empty_map())])),
                plain(" op, "),
                ("især", attrs(&[("italic", empty_map())])),
                plain("."),
            ],
        );
        el(&mut txn, &f, "paragraph"); // empty: left out
        el(&mut txn, &f, "horizontalRule");
        let list = el(&mut txn, &f, "bulletList");
        let item = el(&mut txn, &list, "listItem");
        let ip = el(&mut txn, &item, "paragraph");
        text(&mut txn, &ip, &[plain("første punkt")]);
        let sub = el(&mut txn, &item, "orderedList");
        sub.insert_attribute(&mut txn, "start", Any::Number(yrs::Number::Int(1)));
        let sub_item = el(&mut txn, &sub, "listItem");
        let sp = el(&mut txn, &sub_item, "paragraph");
        text(&mut txn, &sp, &[plain("underpunkt")]);
        let item2 = el(&mut txn, &list, "listItem");
        let ip2 = el(&mut txn, &item2, "paragraph");
        text(&mut txn, &ip2, &[plain("andet punkt")]);
        let quote = el(&mut txn, &f, "blockquote");
        let qp = el(&mut txn, &quote, "paragraph");
        text(&mut txn, &qp, &[plain("citat")]);
        let code = el(&mut txn, &f, "codeBlock");
        text(&mut txn, &code, &[plain("let x = 1;\nlet y = 2;")]);
    }
    let expected = blocks(vec![
        h(2, "Høringssvar fra LMU SBU"),
        Block {
            kind: BlockKind::Paragraph,
            inlines: vec![
                Inline {
                    text: "Vi ".into(),
                    marks: Marks::default(),
                },
                Inline {
                    text: "bakker".into(),
                    marks: Marks {
                        bold: true,
                        ..Marks::default()
                    },
                },
                Inline {
                    text: " op, ".into(),
                    marks: Marks::default(),
                },
                Inline {
                    text: "især".into(),
                    marks: Marks {
                        italic: true,
                        ..Marks::default()
                    },
                },
                Inline {
                    text: ".".into(),
                    marks: Marks::default(),
                },
            ],
        },
        li(0, "første punkt"),
        Block::plain(
            BlockKind::ListItem {
                ordered: true,
                depth: 1,
            },
            "underpunkt",
        ),
        li(0, "andet punkt"),
        Block::plain(BlockKind::Quote, "citat"),
        p("let x = 1;\nlet y = 2;"),
    ]);
    assert_eq!(read_doc(&d), expected);
    let positions = read_positions(&d.transact());
    assert_eq!(positions.nodes, vec![0, 1, 4, 4, 4, 5, 6]);
}

#[test]
fn marks_other_than_the_model_are_dropped_and_runs_merge() {
    let d = doc(1);
    let f = d.get_or_insert_xml_fragment("default");
    {
        let mut txn = d.transact_mut();
        let para = el(&mut txn, &f, "paragraph");
        let link = Any::Map(Arc::new(HashMap::from([(
            "href".to_owned(),
            Any::String("https://example.org".into()),
        )])));
        text(
            &mut txn,
            &para,
            &[
                plain("a"),
                ("b", attrs(&[("link", link)])),
                ("c", attrs(&[("strike", empty_map())])),
                ("d", attrs(&[("bold--a1b2c3", empty_map())])),
                (
                    "e",
                    attrs(&[("bold", empty_map()), ("underline", empty_map())]),
                ),
                ("f", attrs(&[("bold", Any::Null)])),
            ],
        );
    }
    let bold = Marks {
        bold: true,
        ..Marks::default()
    };
    assert_eq!(
        read_doc(&d).blocks[0].inlines,
        vec![
            Inline {
                text: "abc".into(),
                marks: Marks::default()
            },
            Inline {
                text: "de".into(),
                marks: bold
            },
            Inline {
                text: "f".into(),
                marks: Marks::default()
            },
        ]
    );
}

#[test]
fn provenance_marks_are_read_and_checked() {
    let d = doc(1);
    let f = d.get_or_insert_xml_fragment("default");
    let mark = |committee: Any, version: Any, block: Any| {
        Any::Map(Arc::new(HashMap::from([
            ("committee".to_owned(), committee),
            ("version".to_owned(), version),
            ("block".to_owned(), block),
        ])))
    };
    {
        let mut txn = d.transact_mut();
        let para = el(&mut txn, &f, "paragraph");
        text(
            &mut txn,
            &para,
            &[
                (
                    "int ",
                    attrs(&[(
                        "provenance",
                        mark(
                            Any::String("SBU".into()),
                            Any::Number(yrs::Number::Int(3)),
                            Any::Number(yrs::Number::Int(4)),
                        ),
                    )]),
                ),
                (
                    "float ",
                    attrs(&[(
                        "provenance",
                        mark(
                            Any::String("DOK".into()),
                            Any::Number(yrs::Number::Float(7.0)),
                            Any::Number(yrs::Number::Float(2.0)),
                        ),
                    )]),
                ),
                (
                    "bad ",
                    attrs(&[(
                        "provenance",
                        mark(
                            Any::String("DOK".into()),
                            Any::Number(yrs::Number::Float(7.5)),
                            Any::Number(yrs::Number::Int(-1)),
                        ),
                    )]),
                ),
                (
                    "two",
                    attrs(&[
                        (
                            "provenance--zz",
                            mark(
                                Any::String("SVO".into()),
                                Any::Number(yrs::Number::Int(1)),
                                Any::Number(yrs::Number::Int(0)),
                            ),
                        ),
                        (
                            "provenance--aa",
                            mark(
                                Any::String("IKH".into()),
                                Any::Number(yrs::Number::Int(1)),
                                Any::Number(yrs::Number::Int(0)),
                            ),
                        ),
                    ]),
                ),
            ],
        );
    }
    let inlines = read_doc(&d).blocks[0].inlines.clone();
    assert_eq!(inlines[0].marks, prov("SBU", 3, 4));
    assert_eq!(inlines[1].marks, prov("DOK", 7, 2));
    assert_eq!(inlines[2].marks, Marks::default());
    // Of two overlapping provenance marks, the first by (committee, version, block).
    assert_eq!(inlines[3].marks, prov("IKH", 1, 0));
}

#[test]
fn hard_breaks_become_newlines() {
    let d = doc(1);
    let f = d.get_or_insert_xml_fragment("default");
    {
        let mut txn = d.transact_mut();
        let para = el(&mut txn, &f, "paragraph");
        text(&mut txn, &para, &[("fed", attrs(&[("bold", empty_map())]))]);
        el(&mut txn, &para, "hardBreak");
        el(&mut txn, &para, "hardBreak");
        text(&mut txn, &para, &[plain("næste linje")]);
    }
    let b = &read_doc(&d).blocks[0];
    assert_eq!(b.text(), "fed\n\nnæste linje");
    assert_eq!(b.inlines.len(), 2);
}

#[test]
fn headings_levels_are_forgiving() {
    let d = doc(1);
    let f = d.get_or_insert_xml_fragment("default");
    {
        let mut txn = d.transact_mut();
        for level in [
            Some(Any::Number(yrs::Number::Float(3.0))),
            Some(Any::String("4".into())),
            None,
            Some(Any::Number(yrs::Number::Int(99))),
            Some(Any::Bool(true)),
        ] {
            let head = el(&mut txn, &f, "heading");
            if let Some(level) = level {
                head.insert_attribute(&mut txn, "level", level);
            }
            text(&mut txn, &head, &[plain("x")]);
        }
    }
    let levels: Vec<BlockKind> = read_doc(&d).blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        levels,
        [3, 4, 1, 6, 1].map(|level| BlockKind::Heading { level })
    );
}

#[test]
fn list_items_with_several_paragraphs_and_quotes_and_odd_shapes() {
    let d = doc(1);
    let f = d.get_or_insert_xml_fragment("default");
    {
        let mut txn = d.transact_mut();
        let list = el(&mut txn, &f, "orderedList");
        let item = el(&mut txn, &list, "listItem");
        let a = el(&mut txn, &item, "paragraph");
        text(&mut txn, &a, &[plain("første afsnit")]);
        let b = el(&mut txn, &item, "paragraph");
        text(&mut txn, &b, &[plain("andet afsnit")]);
        let sub = el(&mut txn, &item, "bulletList");
        let si = el(&mut txn, &sub, "listItem");
        let sp = el(&mut txn, &si, "paragraph");
        text(&mut txn, &sp, &[plain("under")]);
        let c = el(&mut txn, &item, "paragraph");
        text(&mut txn, &c, &[plain("efter underlisten")]);
        // A paragraph directly in a list, text directly in the fragment, an unknown wrapper.
        let stray = el(&mut txn, &list, "paragraph");
        text(&mut txn, &stray, &[plain("løst i listen")]);
        text(&mut txn, &f, &[plain("løs tekst")]);
        let wrapper = el(&mut txn, &f, "details");
        let wp = el(&mut txn, &wrapper, "paragraph");
        text(&mut txn, &wp, &[plain("indpakket")]);
        let quote = el(&mut txn, &f, "blockquote");
        let ql = el(&mut txn, &quote, "bulletList");
        let qi = el(&mut txn, &ql, "listItem");
        let qp = el(&mut txn, &qi, "paragraph");
        text(&mut txn, &qp, &[plain("liste i citat")]);
        let qh = el(&mut txn, &quote, "heading");
        text(&mut txn, &qh, &[plain("overskrift i citat")]);
    }
    let ordered = |depth, t: &str| {
        Block::plain(
            BlockKind::ListItem {
                ordered: true,
                depth,
            },
            t,
        )
    };
    assert_eq!(
        read_doc(&d),
        blocks(vec![
            ordered(0, "første afsnit\nandet afsnit"),
            li(1, "under"),
            ordered(0, "efter underlisten"),
            ordered(0, "løst i listen"),
            p("løs tekst"),
            p("indpakket"),
            li(0, "liste i citat"),
            Block::plain(BlockKind::Quote, "overskrift i citat"),
        ])
    );
}

/// Nesting deeper than any editor writes: read without recursion, list depth clamped.
#[test]
fn deep_nesting_is_flattened_not_recursed() {
    // yrs itself drops and integrates nested types recursively, so the document is built and
    // dropped on a thread with a big stack; reading runs on the test thread as usual.
    const LEVELS: usize = 3000;
    let d = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let d = doc(1);
            let f = d.get_or_insert_xml_fragment("default");
            {
                let mut txn = d.transact_mut();
                let mut list = el(&mut txn, &f, "bulletList");
                for k in 0..LEVELS {
                    let item = el(&mut txn, &list, "listItem");
                    let para = el(&mut txn, &item, "paragraph");
                    text(&mut txn, &para, &[plain(&format!("niveau {k}"))]);
                    list = el(&mut txn, &item, "bulletList");
                }
            }
            d
        })
        .expect("thread")
        .join()
        .expect("built");
    let read = std::thread::Builder::new()
        .stack_size(128 << 10)
        .spawn({
            let d = d.clone();
            move || read_doc(&d)
        })
        .expect("thread")
        .join()
        .expect("read on a small stack");
    assert_eq!(read.blocks.len(), LEVELS);
    assert_eq!(
        read.blocks[5].kind,
        BlockKind::ListItem {
            ordered: false,
            depth: 5
        }
    );
    assert_eq!(
        read.blocks[LEVELS - 1].kind,
        BlockKind::ListItem {
            ordered: false,
            depth: MAX_LIST_DEPTH
        }
    );
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || drop(d))
        .expect("thread")
        .join()
        .expect("dropped");
}

// ---------------------------------------------------------------------------------------------
// Item IDs

#[test]
fn ids_name_the_client_and_clock_of_every_char() {
    let a = doc(11);
    let f = a.get_or_insert_xml_fragment("default");
    let t = {
        let mut txn = a.transact_mut();
        let para = el(&mut txn, &f, "paragraph");
        text(&mut txn, &para, &[plain("ab😀c")])
    };
    // A second client types in the middle and bolds a word.
    let b = copy_doc(&a, 22);
    {
        let fb = b.get_or_insert_xml_fragment("default");
        let mut txn = b.transact_mut();
        let Some(yrs::XmlOut::Element(para)) = fb.get(&txn, 0) else {
            panic!("paragraph")
        };
        let Some(yrs::XmlOut::Text(tb)) = para.get(&txn, 0) else {
            panic!("text")
        };
        // Offsets in bytes (the default offset kind): after "ab".
        tb.insert(&mut txn, 2, "XY");
    }
    let _ = t;
    let reading = read_with_ids(&mut b.transact_mut());
    let block = &reading.blocks.blocks[0];
    assert_eq!(block.text(), "abXY😀c");
    let ids = reading.ids[0].expand(&block.text());
    let got: Vec<(u64, u32)> = ids
        .iter()
        .map(|id| id.map(|i| (i.client, i.clock)).expect("id"))
        .collect();
    // Client 11's clocks: the paragraph (0), the text type (1), then "ab😀c" from 2; the emoji
    // takes two clocks (UTF-16), so "c" is at 6.
    assert_eq!(
        got,
        vec![(11, 2), (11, 3), (22, 0), (22, 1), (11, 4), (11, 6)]
    );
    // Reading with IDs changed nothing.
    assert_eq!(read_doc(&b), reading.blocks);
}

#[test]
fn ids_skip_deleted_text_even_before_it_is_collected() {
    let d = doc(5);
    let f = d.get_or_insert_xml_fragment("default");
    let mut txn = d.transact_mut();
    let para = el(&mut txn, &f, "paragraph");
    let t = text(&mut txn, &para, &[plain("hello world")]);
    t.remove_range(&mut txn, 0, 6);
    // Same transaction: the deleted items still hold their text.
    let reading = read_with_ids(&mut txn);
    assert_eq!(reading.blocks.blocks[0].text(), "world");
    let ids = reading.ids[0].expand("world");
    assert_eq!(ids[0].map(|i| (i.client, i.clock)), Some((5, 8)));
    drop(txn);
    assert_eq!(read_doc(&d).blocks[0].text(), "world");
}

#[test]
fn ids_in_a_document_that_keeps_deleted_content() {
    let d = Doc::with_options(Options {
        client_id: yrs::ClientID::new(9),
        skip_gc: true,
        ..Options::default()
    });
    let f = d.get_or_insert_xml_fragment("default");
    {
        let mut txn = d.transact_mut();
        let para = el(&mut txn, &f, "paragraph");
        text(&mut txn, &para, &[plain("gammel ny")]);
    }
    {
        let mut txn = d.transact_mut();
        let Some(yrs::XmlOut::Element(para)) = f.get(&txn, 0) else {
            panic!("paragraph")
        };
        let Some(yrs::XmlOut::Text(t)) = para.get(&txn, 0) else {
            panic!("text")
        };
        t.remove_range(&mut txn, 0, 7);
        t.format(&mut txn, 0, 2, attrs(&[("bold", empty_map())]));
    }
    let reading = read_with_ids(&mut d.transact_mut());
    assert_eq!(reading.blocks, read_doc(&d));
    assert_eq!(reading.blocks.blocks[0].text(), "ny");
    assert_eq!(reading.ids[0].expand("ny")[0].map(|i| i.clock), Some(2 + 7));
}

// ---------------------------------------------------------------------------------------------
// Writing

#[test]
fn writes_exactly_the_shape_tiptap_writes() {
    let d = doc(1);
    let content = blocks(vec![
        h(1, "Overskrift"),
        Block {
            kind: BlockKind::Paragraph,
            inlines: vec![
                Inline {
                    text: "fed".into(),
                    marks: Marks {
                        bold: true,
                        ..Marks::default()
                    },
                },
                Inline {
                    text: " og\nny linje".into(),
                    marks: Marks::default(),
                },
            ],
        },
        li(0, "punkt"),
        li(1, "under"),
        Block::plain(
            BlockKind::ListItem {
                ordered: true,
                depth: 1,
            },
            "nummer",
        ),
        Block::plain(BlockKind::Quote, "citat"),
        Block {
            kind: BlockKind::Paragraph,
            inlines: vec![Inline {
                text: "lånt".into(),
                marks: prov("SBU", 2, 5),
            }],
        },
    ]);
    insert_blocks(&mut d.transact_mut(), 0, &content).expect("insert");
    let expected = serde_json::json!([
        {"type": "heading", "attrs": {"level": 1}, "content": [{"text": "Overskrift", "marks": {}}]},
        {"type": "paragraph", "attrs": {}, "content": [
            {"text": "fed", "marks": {"bold": {}}},
            {"text": " og", "marks": {}},
            {"type": "hardBreak", "attrs": {}, "content": []},
            {"text": "ny linje", "marks": {}},
        ]},
        {"type": "bulletList", "attrs": {}, "content": [
            {"type": "listItem", "attrs": {}, "content": [
                {"type": "paragraph", "attrs": {}, "content": [{"text": "punkt", "marks": {}}]},
                {"type": "bulletList", "attrs": {}, "content": [
                    {"type": "listItem", "attrs": {}, "content": [
                        {"type": "paragraph", "attrs": {}, "content": [{"text": "under", "marks": {}}]},
                    ]},
                ]},
                {"type": "orderedList", "attrs": {"start": 1}, "content": [
                    {"type": "listItem", "attrs": {}, "content": [
                        {"type": "paragraph", "attrs": {}, "content": [{"text": "nummer", "marks": {}}]},
                    ]},
                ]},
            ]},
        ]},
        {"type": "blockquote", "attrs": {}, "content": [
            {"type": "paragraph", "attrs": {}, "content": [{"text": "citat", "marks": {}}]},
        ]},
        {"type": "paragraph", "attrs": {}, "content": [
            {"text": "lånt", "marks": {"provenance": {"committee": "SBU", "version": 2, "block": 5}}},
        ]},
    ]);
    assert_eq!(canonical(&d), expected);
    assert_eq!(read_doc(&d), content);
}

#[test]
fn attributes_are_the_mark_attrs() {
    let a = attributes(&Marks {
        bold: true,
        italic: true,
        provenance: None,
    });
    assert_eq!(a.len(), 2);
    assert_eq!(a.get("bold"), Some(&empty_map()));
    assert!(attributes(&Marks::default()).is_empty());
}

#[test]
fn inserts_at_a_position_and_after_a_block() {
    let d = doc(1);
    insert_blocks(
        &mut d.transact_mut(),
        0,
        &blocks(vec![p("en"), li(0, "a"), li(0, "b"), p("to")]),
    )
    .expect("insert");
    // After block 1 ("a", in the list): after the whole list.
    let n = insert_after_block(&mut d.transact_mut(), Some(1), &blocks(vec![p("indsat")]))
        .expect("insert after");
    assert_eq!(n, 1);
    insert_after_block(&mut d.transact_mut(), None, &blocks(vec![h(1, "Først")])).expect("start");
    assert_eq!(
        read_doc(&d),
        blocks(vec![
            h(1, "Først"),
            p("en"),
            li(0, "a"),
            li(0, "b"),
            p("indsat"),
            p("to")
        ])
    );
    assert_eq!(
        insert_blocks(&mut d.transact_mut(), 99, &blocks(vec![p("x")])),
        Err(write::WriteError::OutOfRange { index: 99, len: 5 })
    );
    assert_eq!(
        insert_after_block(&mut d.transact_mut(), Some(6), &blocks(vec![p("x")])),
        Err(write::WriteError::NoSuchBlock { block: 6, len: 6 })
    );
}

#[test]
fn writes_into_a_utf16_document() {
    let d = Doc::with_options(Options {
        offset_kind: yrs::OffsetKind::Utf16,
        ..Options::default()
    });
    let content = blocks(vec![Block {
        kind: BlockKind::Paragraph,
        inlines: vec![
            Inline {
                text: "😀 æøå ".into(),
                marks: Marks::default(),
            },
            Inline {
                text: "ÆØÅ 👍🏽".into(),
                marks: Marks {
                    italic: true,
                    ..Marks::default()
                },
            },
            Inline {
                text: " slut".into(),
                marks: Marks::default(),
            },
        ],
    }]);
    insert_blocks(&mut d.transact_mut(), 0, &content).expect("insert");
    assert_eq!(read_doc(&d), content);
}

#[test]
fn replace_all_keeps_what_is_unchanged() {
    let a = doc(1);
    insert_blocks(
        &mut a.transact_mut(),
        0,
        &blocks(vec![
            h(1, "Titel"),
            p("beholdes"),
            p("ændres"),
            li(0, "punkt"),
        ]),
    )
    .expect("insert");
    {
        // An empty paragraph between two kept nodes stays.
        let f = a.get_or_insert_xml_fragment("default");
        let mut txn = a.transact_mut();
        f.insert(&mut txn, 2, XmlElementPrelim::empty("paragraph"));
    }
    let target = blocks(vec![
        h(1, "Titel"),
        p("beholdes"),
        p("nyt"),
        li(0, "punkt"),
        p("sidst"),
    ]);
    // Restore as another client, so we can see which text was rewritten.
    let b = copy_doc(&a, 2);
    let replaced = replace_all(&mut b.transact_mut(), &target);
    assert_eq!(replaced.kept, 3);
    assert_eq!(replaced.removed, 1);
    assert_eq!(replaced.inserted, 2);
    let reading = read_with_ids(&mut b.transact_mut());
    assert_eq!(reading.blocks, target);
    let client_of =
        |k: usize| reading.ids[k].expand(&reading.blocks.blocks[k].text())[0].map(|i| i.client);
    assert_eq!(client_of(1), Some(1));
    assert_eq!(client_of(2), Some(2));
    assert_eq!(client_of(3), Some(1));
    assert_eq!(
        b.get_or_insert_xml_fragment("default").len(&b.transact()),
        6
    );

    let cleared = replace_all(&mut b.transact_mut(), &Blocks::default());
    assert_eq!(cleared.kept, 0);
    assert_eq!(read_doc(&b), Blocks::default());
    // Tiptap needs at least one node.
    assert!(b.get_or_insert_xml_fragment("default").len(&b.transact()) >= 1);
}

#[test]
fn normalized_blocks() {
    let bold = Marks {
        bold: true,
        ..Marks::default()
    };
    let messy = blocks(vec![
        Block {
            kind: BlockKind::Paragraph,
            inlines: vec![
                Inline {
                    text: "".into(),
                    marks: bold.clone(),
                },
                Inline {
                    text: "a\nb".into(),
                    marks: bold.clone(),
                },
                Inline {
                    text: "c".into(),
                    marks: bold.clone(),
                },
            ],
        },
        p(""),
        li(3, "dyb"),
        li(5, "dybere"),
    ]);
    let n = messy.normalized();
    assert_eq!(n.blocks.len(), 3);
    assert_eq!(n.blocks[0].inlines.len(), 3);
    assert_eq!(n.blocks[0].inlines[1].text, "\n");
    assert_eq!(
        n.blocks[1].kind,
        BlockKind::ListItem {
            ordered: false,
            depth: 0
        }
    );
    assert_eq!(
        n.blocks[2].kind,
        BlockKind::ListItem {
            ordered: false,
            depth: 1
        }
    );
    assert_eq!(n.normalized(), n);
}

#[test]
fn utf16_offsets() {
    let s = "a😀b";
    assert_eq!(utf16_offset(s, 2), 3);
    assert_eq!(utf16_offset(s, 9), 4);
    assert_eq!(char_offset(s, 3), 2);
    assert_eq!(char_offset(s, 2), 1);
    assert_eq!(char_offset(s, 99), 3);
}

// ---------------------------------------------------------------------------------------------
// Generators

const WORDS: &[&str] = &[
    "høring",
    "svar",
    "LMU",
    "arbejdsmiljø",
    "Ærø",
    "øst",
    "åben",
    "plan",
    "MED-udvalg",
    "borgere",
    "😀",
    "e\u{301}t",
    "<b>",
    "&amp;",
    "\"citat\"",
    "2025",
    "§",
    "medarbejderne",
    "inddrages",
    "tidligt",
];

pub(crate) fn arb_marks() -> impl Strategy<Value = Marks> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::option::weighted(0.3, (0usize..3, 1i64..3, 0u32..4)),
    )
        .prop_map(|(bold, italic, p)| Marks {
            bold,
            italic,
            provenance: p.map(|(c, version, block)| Provenance {
                committee: ["SBU", "DOK", "IKH"][c].to_owned(),
                version,
                block,
            }),
        })
}

pub(crate) fn arb_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(WORDS),
            prop::sample::select(&[" ", " ", ", ", ". ", "\n", "  ", "\t"][..]),
        ),
        0..8,
    )
    .prop_map(|parts| parts.iter().map(|(w, s)| format!("{w}{s}")).collect())
}

pub(crate) fn arb_kind() -> impl Strategy<Value = BlockKind> {
    prop_oneof![
        3 => Just(BlockKind::Paragraph),
        1 => (1u8..4).prop_map(|level| BlockKind::Heading { level }),
        2 => (any::<bool>(), 0u8..4).prop_map(|(ordered, depth)| BlockKind::ListItem { ordered, depth }),
        1 => Just(BlockKind::Quote),
    ]
}

pub(crate) fn arb_block() -> impl Strategy<Value = Block> {
    (
        arb_kind(),
        prop::collection::vec((arb_text(), arb_marks()), 0..4),
    )
        .prop_map(|(kind, runs)| {
            let mut block = Block {
                kind,
                inlines: Vec::new(),
            };
            for (text, marks) in runs {
                block.inlines.push(Inline { text, marks });
            }
            block
        })
}

pub(crate) fn arb_blocks(max: usize) -> impl Strategy<Value = Blocks> {
    prop::collection::vec(arb_block(), 0..max).prop_map(|blocks| Blocks { blocks })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Writing then reading gives the normal form of what was written, in either offset kind.
    #[test]
    fn write_then_read_round_trips(content in arb_blocks(12), utf16 in any::<bool>()) {
        let d = Doc::with_options(Options {
            offset_kind: if utf16 { yrs::OffsetKind::Utf16 } else { yrs::OffsetKind::Bytes },
            ..Options::default()
        });
        insert_blocks(&mut d.transact_mut(), 0, &content).expect("insert");
        let read_back = read_doc(&d);
        prop_assert_eq!(&read_back, &content.normalized());
        // And again through an update, as a joining client would receive it.
        let copy = copy_doc(&d, 77);
        prop_assert_eq!(read_doc(&copy), read_back.clone());
        // Reading with IDs gives the same blocks and an ID for every char.
        let reading = read_with_ids(&mut copy.transact_mut());
        prop_assert_eq!(&reading.blocks, &read_back);
        for (block, ids) in reading.blocks.blocks.iter().zip(&reading.ids) {
            let expanded = ids.expand(&block.text());
            prop_assert!(expanded.iter().all(Option::is_some));
        }
    }

    /// replace_all makes any document read as any content.
    #[test]
    fn replace_all_reaches_the_target(start in arb_blocks(8), target in arb_blocks(8)) {
        let d = doc(3);
        insert_blocks(&mut d.transact_mut(), 0, &start).expect("insert");
        replace_all(&mut d.transact_mut(), &target);
        prop_assert_eq!(read_doc(&d), target.normalized());
    }
}

// ---------------------------------------------------------------------------------------------
// Against what Tiptap itself writes (tests/fixtures/tiptap, made by generate.mjs with
// @tiptap/y-tiptap and Tiptap 3's StarterKit)

const STARTER_KIT: &[u8] = include_bytes!("../../tests/fixtures/tiptap/starter-kit.update");
const STARTER_KIT_PM: &str =
    include_str!("../../tests/fixtures/tiptap/starter-kit.prosemirror.json");
const WRITER_SHAPE: &[u8] = include_bytes!("../../tests/fixtures/tiptap/writer-shape.update");

fn load(update: &[u8]) -> Doc {
    let d = doc(1);
    d.transact_mut()
        .apply_update(yrs::Update::decode_v1(update).expect("decode"))
        .expect("apply");
    d
}

/// An independent reading of ProseMirror JSON (what Tiptap sees) by the rules of the model:
/// what `read` must agree with.
fn pm_to_blocks(doc: &serde_json::Value) -> Blocks {
    #[derive(Clone, Copy)]
    struct Ctx {
        quote: bool,
        list: Option<(bool, u8)>,
        in_item: bool,
    }
    fn marks_of(node: &serde_json::Value) -> Marks {
        let mut marks = Marks::default();
        for m in node["marks"].as_array().into_iter().flatten() {
            match m["type"].as_str() {
                Some("bold") => marks.bold = true,
                Some("italic") => marks.italic = true,
                Some("provenance") => {
                    marks.provenance = Some(Provenance {
                        committee: m["attrs"]["committee"].as_str().expect("committee").into(),
                        version: m["attrs"]["version"].as_i64().expect("version"),
                        block: m["attrs"]["block"].as_u64().expect("block") as u32,
                    })
                }
                _ => {}
            }
        }
        marks
    }
    fn inlines(node: &serde_json::Value, block: &mut Block) {
        for child in node["content"].as_array().into_iter().flatten() {
            match child["type"].as_str() {
                Some("text") => block.push(child["text"].as_str().expect("text"), &marks_of(child)),
                Some("hardBreak") => block.push("\n", &Marks::default()),
                _ => {}
            }
        }
    }
    fn walk(
        node: &serde_json::Value,
        ctx: Ctx,
        out: &mut Vec<Block>,
        item_start: &mut Option<usize>,
    ) {
        let kind = node["type"].as_str().unwrap_or_default();
        match kind {
            "paragraph" | "heading" | "codeBlock" => {
                if ctx.in_item
                    && let Some(b) = *item_start
                    && b + 1 == out.len()
                {
                    out[b].push("\n", &Marks::default());
                    inlines(node, &mut out[b]);
                    return;
                }
                let block_kind = match (ctx.list, ctx.quote, kind) {
                    (Some((ordered, depth)), _, _) => BlockKind::ListItem { ordered, depth },
                    (None, true, _) => BlockKind::Quote,
                    (None, false, "heading") => BlockKind::Heading {
                        level: node["attrs"]["level"].as_u64().expect("level") as u8,
                    },
                    _ => BlockKind::Paragraph,
                };
                let mut block = Block {
                    kind: block_kind,
                    inlines: Vec::new(),
                };
                inlines(node, &mut block);
                out.push(block);
                if ctx.in_item {
                    *item_start = Some(out.len() - 1);
                }
            }
            "bulletList" | "orderedList" => {
                let depth = ctx.list.map_or(0, |(_, d)| d + 1);
                for child in node["content"].as_array().into_iter().flatten() {
                    let mut start = None;
                    let inner = Ctx {
                        quote: ctx.quote,
                        list: Some((kind == "orderedList", depth)),
                        in_item: true,
                    };
                    for grandchild in child["content"].as_array().into_iter().flatten() {
                        walk(grandchild, inner, out, &mut start);
                    }
                }
            }
            "blockquote" => {
                for child in node["content"].as_array().into_iter().flatten() {
                    walk(child, Ctx { quote: true, ..ctx }, out, &mut None);
                }
            }
            "doc" => {
                for child in node["content"].as_array().into_iter().flatten() {
                    walk(child, ctx, out, &mut None);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(
        doc,
        Ctx {
            quote: false,
            list: None,
            in_item: false,
        },
        &mut out,
        &mut None,
    );
    Blocks {
        blocks: out.into_iter().filter(|b| !b.is_empty()).collect(),
    }
}

#[test]
fn reads_what_tiptap_writes() {
    let d = load(STARTER_KIT);
    let pm: serde_json::Value = serde_json::from_str(STARTER_KIT_PM).expect("json");
    let expected = pm_to_blocks(&pm);
    let got = read_doc(&d);
    assert_eq!(got, expected);
    // And by hand, what matters most.
    let texts: Vec<String> = got.blocks.iter().map(Block::text).collect();
    assert_eq!(texts.len(), 11);
    assert_eq!(
        texts[1],
        "HMU fuldt bakker op om planens retning 😀, se hjemmesiden og overstreget kode."
    );
    assert_eq!(texts[2], "Første linje\nanden linje, understreget");
    assert_eq!(got.blocks[3].inlines[0].marks, prov("SBU", 3, 2));
    assert_eq!(
        got.blocks[4].kind,
        BlockKind::ListItem {
            ordered: true,
            depth: 1
        }
    );
    assert_eq!(
        texts[6],
        "at arbejdsmiljøet følges tæt\nog et afsnit mere i punktet"
    );
    assert_eq!(got.blocks[7].kind, BlockKind::Quote);
    assert_eq!(texts[9], "kode linje 1\nkode linje 2");
    assert_eq!(texts[10], "Til slut: utning");

    // Who wrote what: client 1001 wrote the document, 2002 typed "fuldt " and "Til slut: ".
    let reading = read_with_ids(&mut d.transact_mut());
    assert_eq!(reading.blocks, got);
    let clients: Vec<u64> = reading.ids[1]
        .expand(&texts[1])
        .iter()
        .map(|id| id.expect("id").client)
        .collect();
    assert_eq!(&clients[..4], &[1001; 4]);
    assert_eq!(&clients[4..10], &[2002; 6]);
    assert!(clients[10..].iter().all(|&c| c == 1001));
    let last: Vec<u64> = reading.ids[10]
        .expand(&texts[10])
        .iter()
        .map(|id| id.expect("id").client)
        .collect();
    assert_eq!(&last[..10], &[2002; 10]);
    assert!(last[10..].iter().all(|&c| c == 1001));

    // Written back by the model, it reads the same.
    let copy = doc(5);
    insert_blocks(&mut copy.transact_mut(), 0, &got).expect("insert");
    assert_eq!(read_doc(&copy), got);
}

#[test]
fn writes_node_for_node_what_tiptap_writes() {
    let tiptap = load(WRITER_SHAPE);
    let content = read_doc(&tiptap);
    assert_eq!(content.blocks.len(), 9);
    let ours = doc(6);
    insert_blocks(&mut ours.transact_mut(), 0, &content).expect("insert");
    assert_eq!(canonical(&ours), canonical(&tiptap));
}
