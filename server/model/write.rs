//! Writing [`Blocks`] into the fragment `default`, in exactly the shape Tiptap's Collaboration
//! extension (y-tiptap, a fork of y-prosemirror) writes, so that a Tiptap editor and
//! [`read`](super::read::read) see the same content:
//!
//! - a heading is `<heading level=N>` (the level a number), a paragraph `<paragraph>`;
//! - consecutive list items form `<bulletList>`/`<orderedList start=1>` of `<listItem>`s, each
//!   holding a `<paragraph>`; a deeper item goes into a list nested in the item before it;
//! - consecutive quotes form one `<blockquote>` of paragraphs;
//! - a textblock's text is one `Y.XmlText` per stretch between hard breaks; `"\n"` is a
//!   `<hardBreak>` element (y-prosemirror groups adjacent text nodes into one Y.XmlText);
//! - marks are formatting attributes named after the mark whose value is the mark's attributes,
//!   as y-prosemirror's `marksToAttributes` writes them: `bold: {}`, `italic: {}`,
//!   `provenance: {committee, version, block}`. Plain text after formatted text is inserted
//!   with the formatting ended (Yjs' negated attributes), as `Y.XmlText.applyDelta` does.
//!
//! Content is written as given after [`Blocks::normalized`]: empty blocks are skipped and list
//! depths that jump are lowered (ProseMirror has no item without its parent item).

use std::collections::HashMap;
use std::sync::Arc;

use similar::{Algorithm, DiffOp, capture_diff_slices};
use yrs::types::Attrs;
use yrs::{
    Any, Text, TransactionMut, WriteTxn, Xml, XmlElementPrelim, XmlElementRef, XmlFragment,
    XmlFragmentRef, XmlTextPrelim,
};

use super::read::{FRAGMENT, read_positions};
use super::{Block, BlockKind, Blocks, Marks};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error("position {index} is past the end of the document ({len} top-level nodes)")]
    OutOfRange { index: u32, len: u32 },
    #[error("block {block} does not exist (the document has {len} blocks)")]
    NoSuchBlock { block: usize, len: usize },
}

/// Inserts `blocks` into the fragment `default` (created if missing) before its top-level node
/// `index` (its length appends). Returns the number of top-level nodes inserted.
pub fn insert_blocks(
    txn: &mut TransactionMut,
    index: u32,
    blocks: &Blocks,
) -> Result<u32, WriteError> {
    let fragment = txn.get_or_insert_xml_fragment(FRAGMENT);
    insert_blocks_into(txn, &fragment, index, blocks)
}

/// Inserts `blocks` after block `after` of the document as [`read`](super::read::read) gives
/// its blocks (`None`: at the start): after the top-level node that holds that block, so a
/// passage taken after a list item goes after the whole list. Returns the number of top-level
/// nodes inserted.
pub fn insert_after_block(
    txn: &mut TransactionMut,
    after: Option<usize>,
    blocks: &Blocks,
) -> Result<u32, WriteError> {
    let index = match after {
        None => 0,
        Some(block) => {
            let reading = read_positions(&*txn);
            match reading.nodes.get(block) {
                Some(node) => node.saturating_add(1),
                None => {
                    return Err(WriteError::NoSuchBlock {
                        block,
                        len: reading.nodes.len(),
                    });
                }
            }
        }
    };
    insert_blocks(txn, index, blocks)
}

/// Inserts `blocks` into `fragment` before its top-level node `index`. Returns the number of
/// top-level nodes inserted.
pub fn insert_blocks_into(
    txn: &mut TransactionMut,
    fragment: &XmlFragmentRef,
    index: u32,
    blocks: &Blocks,
) -> Result<u32, WriteError> {
    let len = fragment.len(txn);
    if index > len {
        return Err(WriteError::OutOfRange { index, len });
    }
    let groups = groups(&blocks.normalized());
    for (i, group) in groups.iter().enumerate() {
        write_group(txn, fragment, index + i as u32, group);
    }
    Ok(groups.len() as u32)
}

/// What [`replace_all`] changed, in top-level nodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Replaced {
    pub kept: u32,
    pub removed: u32,
    pub inserted: u32,
}

/// Makes the fragment `default` read as `blocks` (restoring a version's content as new edits).
///
/// Top-level nodes whose content is already right are kept, so their text keeps its authors
/// and anything anchored in it (comments, cursors); only the others are removed and written
/// anew. Empty paragraphs (which carry no blocks) are kept unless they lie between removed
/// nodes. A document left without nodes gets one empty paragraph, as Tiptap's schema needs.
/// Afterwards [`read`](super::read::read) gives `blocks.normalized()`.
pub fn replace_all(txn: &mut TransactionMut, blocks: &Blocks) -> Replaced {
    let fragment = txn.get_or_insert_xml_fragment(FRAGMENT);
    let target = groups(&blocks.normalized());

    // The current top-level nodes that hold blocks, with their content.
    let reading = read_positions(&*txn);
    let mut current: Vec<(u32, Vec<Block>)> = Vec::new();
    for (block, node) in reading.blocks.blocks.into_iter().zip(reading.nodes) {
        match current.last_mut() {
            Some((n, content)) if *n == node => content.push(block),
            _ => current.push((node, vec![block])),
        }
    }
    let old: Vec<&[Block]> = current.iter().map(|(_, c)| c.as_slice()).collect();
    let new: Vec<&[Block]> = target.iter().map(|g| g.as_slice()).collect();
    let ops = capture_diff_slices(Algorithm::Myers, &old, &new);

    let mut result = Replaced::default();
    // From the end, so that the node indices of what comes before stay valid.
    for op in ops.iter().rev() {
        let (old_range, new_range) = match *op {
            DiffOp::Equal { len, .. } => {
                result.kept += len as u32;
                continue;
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => (old_index..old_index + old_len, 0..0),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index..old_index, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        // Where the new nodes go: right after the last kept node before the range.
        let at = match old_range.start.checked_sub(1) {
            Some(prev) => current.get(prev).map_or(0, |(n, _)| n + 1),
            None => 0,
        };
        if !old_range.is_empty() {
            let first = current.get(old_range.start).map(|(n, _)| *n);
            let last = current.get(old_range.end - 1).map(|(n, _)| *n);
            if let (Some(first), Some(last)) = (first, last) {
                let count = last - first + 1;
                if last < fragment.len(txn) {
                    fragment.remove_range(txn, first, count);
                    result.removed += old_range.len() as u32;
                }
            }
        }
        // The removed range started at or after `at`, so `at` is still the right place.
        let position = at.min(fragment.len(txn));
        let groups = target.get(new_range).unwrap_or_default();
        for (k, group) in groups.iter().enumerate() {
            write_group(txn, &fragment, position + k as u32, group);
            result.inserted += 1;
        }
    }
    if fragment.len(txn) == 0 {
        fragment.insert(txn, 0, XmlElementPrelim::empty("paragraph"));
    }
    result
}

/// The formatting attributes for `marks`, as y-prosemirror writes them.
pub fn attributes(marks: &Marks) -> Attrs {
    let mut attrs: Attrs = HashMap::new();
    if marks.bold {
        attrs.insert(Arc::from("bold"), Any::Map(Arc::new(HashMap::new())));
    }
    if marks.italic {
        attrs.insert(Arc::from("italic"), Any::Map(Arc::new(HashMap::new())));
    }
    if let Some(p) = &marks.provenance {
        let value = HashMap::from([
            (
                "committee".to_owned(),
                Any::String(Arc::from(p.committee.as_str())),
            ),
            (
                "version".to_owned(),
                Any::Number(yrs::Number::Int(p.version)),
            ),
            (
                "block".to_owned(),
                Any::Number(yrs::Number::Int(i64::from(p.block))),
            ),
        ]);
        attrs.insert(Arc::from("provenance"), Any::Map(Arc::new(value)));
    }
    attrs
}

/// Splits normal blocks into the groups that become one top-level node each.
fn groups(blocks: &Blocks) -> Vec<Vec<Block>> {
    let mut out: Vec<Vec<Block>> = Vec::new();
    for block in &blocks.blocks {
        let joins = match (out.last().and_then(|g| g.first()), block.kind) {
            (Some(first), BlockKind::Quote) => first.kind == BlockKind::Quote,
            (
                Some(Block {
                    kind: BlockKind::ListItem { ordered: top, .. },
                    ..
                }),
                BlockKind::ListItem { ordered, depth },
            ) => depth > 0 || ordered == *top,
            _ => false,
        };
        match out.last_mut() {
            Some(group) if joins => group.push(block.clone()),
            _ => out.push(vec![block.clone()]),
        }
    }
    out
}

fn write_group(txn: &mut TransactionMut, fragment: &XmlFragmentRef, index: u32, group: &[Block]) {
    let Some(first) = group.first() else {
        return;
    };
    match first.kind {
        BlockKind::Paragraph => {
            let p = fragment.insert(txn, index, XmlElementPrelim::empty("paragraph"));
            write_inlines(txn, &p, first);
        }
        BlockKind::Heading { level } => {
            let h = fragment.insert(txn, index, XmlElementPrelim::empty("heading"));
            h.insert_attribute(
                txn,
                "level",
                Any::Number(yrs::Number::Int(i64::from(level.clamp(1, 6)))),
            );
            write_inlines(txn, &h, first);
        }
        BlockKind::Quote => {
            let q = fragment.insert(txn, index, XmlElementPrelim::empty("blockquote"));
            for (i, block) in group.iter().enumerate() {
                let p = q.insert(txn, i as u32, XmlElementPrelim::empty("paragraph"));
                write_inlines(txn, &p, block);
            }
        }
        BlockKind::ListItem { ordered, .. } => {
            let top = fragment.insert(txn, index, XmlElementPrelim::empty(list_tag(ordered)));
            list_attributes(txn, &top, ordered);
            write_list(txn, top, ordered, group);
        }
    }
}

fn list_tag(ordered: bool) -> &'static str {
    if ordered { "orderedList" } else { "bulletList" }
}

fn list_attributes(txn: &mut TransactionMut, list: &XmlElementRef, ordered: bool) {
    if ordered {
        // Tiptap's orderedList has `start` (default 1); `type` defaults to null, which
        // y-prosemirror does not write.
        list.insert_attribute(txn, "start", Any::Number(yrs::Number::Int(1)));
    }
}

/// Writes a run of list items (normal depths, the first at depth 0) into `top`.
fn write_list(txn: &mut TransactionMut, top: XmlElementRef, ordered: bool, items: &[Block]) {
    // lists[d]: the open list at depth d, with whether it is ordered.
    let mut lists: Vec<(XmlElementRef, bool)> = vec![(top, ordered)];
    // last[d]: the last item written at depth d.
    let mut last: Vec<XmlElementRef> = Vec::new();
    for block in items {
        let BlockKind::ListItem { ordered, depth } = block.kind else {
            continue;
        };
        let depth = (depth as usize).min(last.len());
        lists.truncate(depth + 1);
        last.truncate(depth + 1);
        let needs_list = match lists.get(depth) {
            Some((_, o)) => *o != ordered,
            None => true,
        };
        if needs_list {
            if depth == 0 {
                // Cannot happen for a group (groups split there); write into the top list.
            } else if let Some(parent) = last.get(depth - 1) {
                let at = parent.len(txn);
                let sub = parent.insert(txn, at, XmlElementPrelim::empty(list_tag(ordered)));
                list_attributes(txn, &sub, ordered);
                lists.truncate(depth);
                lists.push((sub, ordered));
            }
        }
        let Some((list, _)) = lists.get(depth).or(lists.last()) else {
            continue;
        };
        let at = list.len(txn);
        let item = list.insert(txn, at, XmlElementPrelim::empty("listItem"));
        let p = item.insert(txn, 0, XmlElementPrelim::empty("paragraph"));
        write_inlines(txn, &p, block);
        last.truncate(depth);
        last.push(item);
    }
}

/// Writes a block's runs into a textblock: one Y.XmlText per stretch between hard breaks.
fn write_inlines(txn: &mut TransactionMut, element: &XmlElementRef, block: &Block) {
    let mut text: Option<yrs::XmlTextRef> = None;
    for inline in &block.inlines {
        for (i, piece) in inline.text.split('\n').enumerate() {
            if i > 0 {
                let at = element.len(txn);
                element.insert(txn, at, XmlElementPrelim::empty("hardBreak"));
                text = None;
            }
            if piece.is_empty() {
                continue;
            }
            let t = match &text {
                Some(t) => t.clone(),
                None => {
                    let at = element.len(txn);
                    let t = element.insert(txn, at, XmlTextPrelim::new(""));
                    text = Some(t.clone());
                    t
                }
            };
            let end = t.len(txn);
            t.insert_with_attributes(txn, end, piece, attributes(&inline.marks));
        }
    }
}
