//! Writes the seed corpora fuzz/seeds/{update,frame}/: valid updates made with yrs, and the hostile
//! inputs of design.md §6. Every yrs-made seed is run through the harness once and must be
//! accepted by the server path.
//!
//!     cd fuzz && CARGO_BUILD_JOBS=1 cargo run --example gen_seeds
//!
//! Client ids are fixed, but yrs writes the entries of a map value in hash-map order, so the
//! bytes of the `maps_nested_any` seeds differ from run to run (the content does not).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use samskriv::sync::message::{encode_awareness, encode_sync_step1, encode_update, AwarenessEntry};
use samskriv::sync::validate::ParsedUpdate;
use samskriv_fuzz::{Outcome, Server, join_frames};
use yrs::types::Attrs;
use yrs::updates::encoder::Encode;
use yrs::{
    Any, Array, Doc, GetString, Map, Text, TransactionMut, Transact, Xml, XmlElementPrelim,
    XmlFragment, XmlTextPrelim,
};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn var_uint(out: &mut Vec<u8>, mut n: usize) {
    while n > 0x7f {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A sync message of the given sub-type (0 step 1, 1 step 2, 2 update) around a payload.
fn sync(sub: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0, sub];
    var_uint(&mut out, payload.len());
    out.extend_from_slice(payload);
    out
}

/// Runs `f` in one transaction of `doc` and returns the update it made.
fn step(doc: &Doc, f: impl FnOnce(&mut TransactionMut)) -> Vec<u8> {
    let mut txn = doc.transact_mut();
    f(&mut txn);
    txn.encode_update_v1()
}

fn full(doc: &Doc) -> Vec<u8> {
    use yrs::ReadTxn;
    doc.transact().encode_state_as_update_v1(&yrs::StateVector::default())
}

fn sv(doc: &Doc) -> Vec<u8> {
    use yrs::ReadTxn;
    doc.transact().state_vector().encode_v1()
}

fn attrs(pairs: &[(&str, Any)]) -> Attrs {
    pairs.iter().map(|(k, v)| (Arc::from(*k), v.clone())).collect()
}

/// One scenario: the updates in the order they were made (one per transaction), and the final
/// full state.
struct Scenario {
    name: &'static str,
    updates: Vec<Vec<u8>>,
    full: Vec<u8>,
}

fn text_edits() -> Scenario {
    let doc = Doc::with_client_id(1);
    let text = doc.get_or_insert_text("text");
    let mut updates = vec![step(&doc, |t| text.insert(t, 0, "Hoeringssvar fra MED-udvalget"))];
    updates.push(step(&doc, |t| text.insert(t, 12, " (udkast)")));
    updates.push(step(&doc, |t| text.remove_range(t, 0, 4)));
    updates.push(step(&doc, |t| text.insert(t, 0, "Høring: ")));
    Scenario { name: "text_edits", updates, full: full(&doc) }
}

fn xml_rich_text() -> Scenario {
    let doc = Doc::with_client_id(7);
    let frag = doc.get_or_insert_xml_fragment("default");
    let mut updates = Vec::new();
    let mut heading = None;
    updates.push(step(&doc, |t| {
        let h = frag.push_back(t, XmlElementPrelim::empty("heading"));
        h.insert_attribute(t, "level", Any::from(2));
        h.push_back(t, XmlTextPrelim::new("Samlet høringssvar"));
        heading = Some(h);
    }));
    let mut para_text = None;
    updates.push(step(&doc, |t| {
        let p = frag.push_back(t, XmlElementPrelim::empty("paragraph"));
        let txt = p.push_back(t, XmlTextPrelim::new(""));
        txt.insert(t, 0, "Udvalget støtter forslaget.");
        para_text = Some(txt);
    }));
    let txt = para_text.unwrap();
    updates.push(step(&doc, |t| {
        txt.format(t, 0, 8, attrs(&[("bold", Any::Map(Arc::new(HashMap::new())))]));
    }));
    updates.push(step(&doc, |t| {
        let link = Any::Map(Arc::new(HashMap::from([(
            "href".to_owned(),
            Any::from("https://example.org/høring"),
        )])));
        txt.insert_with_attributes(t, 9, "ikke ", attrs(&[("italic", Any::Map(Arc::new(HashMap::new()))), ("link", link)]));
    }));
    updates.push(step(&doc, |t| {
        let list = frag.push_back(t, XmlElementPrelim::empty("bulletList"));
        for item in ["Arbejdsmiljø", "Økonomi"] {
            let li = list.push_back(t, XmlElementPrelim::empty("listItem"));
            let p = li.push_back(t, XmlElementPrelim::empty("paragraph"));
            p.push_back(t, XmlTextPrelim::new(item));
        }
        let bq = frag.push_back(t, XmlElementPrelim::empty("blockquote"));
        bq.push_back(t, XmlElementPrelim::empty("paragraph"));
        frag.push_back(t, XmlElementPrelim::empty("hardBreak"));
    }));
    let h = heading.unwrap();
    updates.push(step(&doc, |t| {
        h.insert_attribute(t, "level", Any::from(3));
        h.insert_attribute(t, "id", Any::from("sec-1"));
    }));
    updates.push(step(&doc, |t| {
        txt.format(t, 0, 4, attrs(&[("bold", Any::Null)]));
        frag.remove_range(t, 3, 1);
    }));
    Scenario { name: "xml_rich_text", updates, full: full(&doc) }
}

fn maps_nested_any() -> Scenario {
    let doc = Doc::with_client_id(42);
    let meta = doc.get_or_insert_map("meta");
    let arr = doc.get_or_insert_array("log");
    let mut updates = Vec::new();
    updates.push(step(&doc, |t| {
        let nested = Any::Map(Arc::new(HashMap::from([
            ("udvalg".to_owned(), Any::from("LMU Nord")),
            ("frist".to_owned(), Any::from(1_767_225_600_000_i64)),
            ("andel".to_owned(), Any::from(0.25)),
            ("godkendt".to_owned(), Any::Bool(false)),
            ("ingen".to_owned(), Any::Null),
            ("bilag".to_owned(), Any::Buffer(Arc::from(&b"\x00\x01\xff"[..]))),
            (
                "medlemmer".to_owned(),
                Any::Array(Arc::from(vec![
                    Any::from("Åse"),
                    Any::from(3),
                    Any::Array(Arc::from(vec![Any::Undefined, Any::from(-7)])),
                ])),
            ),
        ])));
        meta.insert(t, "høring", nested);
        meta.insert(t, "version", Any::from(1));
    }));
    updates.push(step(&doc, |t| {
        arr.push_back(t, Any::from("oprettet"));
        arr.push_back(t, Any::from(2.5));
        arr.insert_range(t, 0, [Any::from(1), Any::from(2), Any::from(3)]);
    }));
    updates.push(step(&doc, |t| {
        meta.insert(t, "version", Any::from(2));
        meta.remove(t, "version");
        arr.remove_range(t, 1, 2);
    }));
    Scenario { name: "maps_nested_any", updates, full: full(&doc) }
}

/// Three clients edit the same text and fragment, each on its own copy, then exchange updates:
/// concurrent inserts at one position and deletions of each other's content.
fn several_clients() -> Scenario {
    let docs: Vec<Doc> = [11u64, 22, 33].into_iter().map(Doc::with_client_id).collect();
    let mut updates = Vec::new();
    let exchange = |updates: &mut Vec<Vec<u8>>, from: usize, u: Vec<u8>| {
        for (i, d) in docs.iter().enumerate() {
            if i != from {
                let mut t = d.transact_mut();
                t.apply_update(yrs::Update::decode_v1(&u).unwrap()).unwrap();
            }
        }
        updates.push(u);
    };
    use yrs::updates::decoder::Decode;
    let t0 = docs[0].get_or_insert_text("text");
    let u = step(&docs[0], |t| t0.insert(t, 0, "abcdef"));
    exchange(&mut updates, 0, u);
    // concurrent: each inserts at 3 without seeing the others
    let mut concurrent = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let text = d.get_or_insert_text("text");
        concurrent.push(step(d, |t| text.insert(t, 3, &format!("[{i}]"))));
    }
    for (i, u) in concurrent.into_iter().enumerate() {
        exchange(&mut updates, i, u);
    }
    let t1 = docs[1].get_or_insert_text("text");
    let u = step(&docs[1], |t| t1.remove_range(t, 2, 6));
    exchange(&mut updates, 1, u);
    let f2 = docs[2].get_or_insert_xml_fragment("default");
    let u = step(&docs[2], |t| {
        let p = f2.push_back(t, XmlElementPrelim::empty("paragraph"));
        p.push_back(t, XmlTextPrelim::new("fra klient 33"));
    });
    exchange(&mut updates, 2, u);
    let f0 = docs[0].get_or_insert_xml_fragment("default");
    let u = step(&docs[0], |t| {
        f0.insert(t, 0, XmlElementPrelim::empty("paragraph"));
        f0.remove_range(t, 1, 1);
    });
    exchange(&mut updates, 0, u);
    let text = docs[0].get_or_insert_text("text");
    let s = text.get_string(&docs[0].transact());
    assert!(!s.is_empty());
    Scenario { name: "several_clients", updates, full: full(&docs[0]) }
}

fn scenarios() -> Vec<Scenario> {
    vec![text_edits(), xml_rich_text(), maps_nested_any(), several_clients()]
}

fn nested_any(n: usize) -> Vec<u8> {
    let mut u = hex("0101010028010101");
    u.extend_from_slice(&[0x6d, 0x01, 0x6b, 0x01]);
    for _ in 0..n {
        u.extend_from_slice(&[0x75, 0x01]);
    }
    u.extend_from_slice(&[0x7e, 0x00]);
    u
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
    println!("{:>7} B  {}/{}", bytes.len(), dir.display(), name);
}

fn main() {
    samskriv_fuzz::install_panic_hook();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let ud = root.join("update");
    let fd = root.join("frame");
    std::fs::create_dir_all(&ud).unwrap();
    std::fs::create_dir_all(&fd).unwrap();

    for s in scenarios() {
        // update target: the first update and the full state, each on an empty document
        for (suffix, u) in [("first", &s.updates[0]), ("full", &s.full)] {
            let parsed = ParsedUpdate::parse(u).unwrap_or_else(|e| panic!("{}: {e}", s.name));
            let mut server = Server::new();
            assert_eq!(server.update(u, &parsed), Outcome::Accepted, "{} {suffix}", s.name);
            server.finish();
            write(&ud, &format!("yrs_{}_{suffix}.bin", s.name), u);
        }
        // frame target: the updates in order as update messages from alternating connections,
        // a sync step 1 + step 2 exchange first, and every update applied on one document
        let mut frames: Vec<(u8, Vec<u8>)> = vec![(0, {
            let mut f = encode_sync_step1(&[0]).to_vec();
            f.extend_from_slice(&sync(1, &[0, 0]));
            f
        })];
        for (i, u) in s.updates.iter().enumerate() {
            frames.push(((i % 3) as u8, encode_update(u).to_vec()));
        }
        let input = join_frames(frames.iter().map(|(c, f)| (*c, &f[..])));
        let mut server = Server::new();
        for (i, u) in s.updates.iter().enumerate() {
            let parsed = ParsedUpdate::parse(u).unwrap();
            assert_eq!(server.update(u, &parsed), Outcome::Accepted, "{} update {i}", s.name);
        }
        server.finish();
        samskriv_fuzz::run_frames(&input);
        write(&fd, &format!("yrs_{}_updates.bin", s.name), &input);
    }

    // frame target: presence, queries and several messages in one frame; then a sync with a
    // state vector from a document that has content
    let text = text_edits();
    let doc = Doc::with_client_id(1);
    {
        use yrs::updates::decoder::Decode;
        let mut t = doc.transact_mut();
        t.apply_update(yrs::Update::decode_v1(&text.full).unwrap()).unwrap();
    }
    let presence = encode_awareness(&[
        AwarenessEntry {
            client: 1,
            clock: 1,
            state: Some(r##"{"user":{"name":"Åse","color":"#ff0000"},"cursor":null}"##.into()),
        },
        AwarenessEntry { client: 2, clock: 5, state: None },
    ]);
    let mut multi = encode_update(&text.updates[0]).to_vec();
    multi.extend_from_slice(&encode_sync_step1(&sv(&doc)));
    multi.extend_from_slice(&[3]); // query awareness
    multi.extend_from_slice(&[2, 0, 4, b'n', b'o', b'p', b'e']); // auth (ignored)
    let input = join_frames([
        (0u8, &presence[..]),
        (1, &[3][..]),
        (1, &multi[..]),
        (0x80, &encode_sync_step1(&sv(&doc))[..]),
        (1, &encode_update(&text.full)[..]),
    ]);
    samskriv_fuzz::run_frames(&input);
    write(&fd, "mixed_awareness_sync.bin", &input);

    // the hostile inputs of design.md §6
    let deep = nested_any(5000);
    write(&ud, "hostile_nested_any_5000.bin", &deep);
    write(&fd, "hostile_nested_any_5000.bin", &join_frames([(0u8, &sync(2, &deep)[..])]));
    let pending = hex("0101d30b01020000010000000100000401000306050241004301011000");
    write(&ud, "hostile_pending_29.bin", &pending);
    write(&fd, "hostile_pending_29.bin", &join_frames([(0u8, &sync(2, &pending)[..])]));
    let count = hex("01808080800100");
    write(&ud, "hostile_count_2p28.bin", &count);
    // as an update payload, and bare (an awareness message whose length claims 2^28 bytes)
    write(&fd, "hostile_count_2p28.bin", &join_frames([(0u8, &sync(2, &count)[..]), (1, &count[..])]));
    for u in [&deep, &pending, &count] {
        samskriv_fuzz::run_update(u);
    }
    println!("harness: {}", samskriv_fuzz::STATS.report());
}
