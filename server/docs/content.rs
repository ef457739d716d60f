//! Reading a document's content as canonical JSON: the Y.Text `text` as a string and the
//! Tiptap/ProseMirror Y.XmlFragment `default` as a tree. The Node test clients build the same
//! form (tests/js/canonical.mjs) so the server's reading can be compared with Yjs'.
//!
//! Element: `{"type": name, "attrs": {..}, "content": [..]}`; text: one
//! `{"text": s, "marks": {..}}` per uniformly formatted run.

use serde_json::{Map, Value, json};
use yrs::types::text::YChange;
use yrs::{GetString, Out, ReadTxn, Text, Xml, XmlElementRef, XmlFragment, XmlOut, XmlTextRef};

/// Nesting comes from clients: deeper trees are refused rather than recursed into.
const MAX_DEPTH: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("document nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("unexpected content: {0}")]
    Unexpected(&'static str),
}

pub fn canonical<T: ReadTxn>(txn: &T) -> Result<Value, ContentError> {
    let text = txn
        .get_text("text")
        .map(|t| t.get_string(txn))
        .unwrap_or_default();
    let mut children = Vec::new();
    if let Some(fragment) = txn.get_xml_fragment("default") {
        for child in fragment.children(txn) {
            node(txn, child, 0, &mut children)?;
        }
    }
    Ok(json!({ "text": text, "default": children }))
}

fn node<T: ReadTxn>(
    txn: &T,
    n: XmlOut,
    depth: usize,
    out: &mut Vec<Value>,
) -> Result<(), ContentError> {
    if depth > MAX_DEPTH {
        return Err(ContentError::TooDeep);
    }
    match n {
        XmlOut::Element(e) => out.push(element(txn, &e, depth)?),
        XmlOut::Text(t) => text_runs(txn, &t, out)?,
        XmlOut::Fragment(f) => {
            for child in f.children(txn) {
                node(txn, child, depth + 1, out)?;
            }
        }
    }
    Ok(())
}

fn element<T: ReadTxn>(txn: &T, e: &XmlElementRef, depth: usize) -> Result<Value, ContentError> {
    let mut attrs = Map::new();
    for (key, value) in e.attributes(txn) {
        attrs.insert(key.to_owned(), out_to_json(value)?);
    }
    let mut content = Vec::new();
    for child in e.children(txn) {
        node(txn, child, depth + 1, &mut content)?;
    }
    Ok(json!({ "type": e.tag().as_ref(), "attrs": attrs, "content": content }))
}

fn text_runs<T: ReadTxn>(
    txn: &T,
    t: &XmlTextRef,
    out: &mut Vec<Value>,
) -> Result<(), ContentError> {
    for d in t.diff(txn, YChange::identity) {
        let mut marks = Map::new();
        for (k, v) in d.attributes.into_iter().flat_map(|a| a.into_iter()) {
            marks.insert(
                k.to_string(),
                serde_json::to_value(&v).unwrap_or(Value::Null),
            );
        }
        match d.insert {
            Out::Any(yrs::Any::String(s)) => {
                out.push(json!({ "text": s.as_ref(), "marks": marks }))
            }
            // Tiptap writes no embeds; other Yjs clients may. Shown, not refused.
            Out::Any(other) => out.push(json!({
                "embed": serde_json::to_value(&other).unwrap_or(Value::Null),
                "marks": marks,
            })),
            _ => out.push(json!({ "embed": null, "marks": marks })),
        }
    }
    Ok(())
}

fn out_to_json(v: Out) -> Result<Value, ContentError> {
    match v {
        Out::Any(a) => Ok(serde_json::to_value(&a).unwrap_or(Value::Null)),
        // A shared type as an attribute value: not something Tiptap writes; shown as null.
        _ => Ok(Value::Null),
    }
}
