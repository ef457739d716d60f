//! Reading the fragment `default` (Tiptap 3 StarterKit's ProseMirror shape, as y-tiptap writes
//! it) into [`Blocks`].
//!
//! The shape, as Tiptap's Collaboration extension stores it:
//!
//! - block nodes are `Y.XmlElement`s named after the node: `paragraph`, `heading` (attribute
//!   `level`, a number), `bulletList` and `orderedList` (attribute `start`) holding `listItem`s,
//!   each holding a `paragraph` and possibly nested lists; `blockquote` holding paragraphs;
//!   `codeBlock` (its text is read as a paragraph); `horizontalRule` (skipped);
//! - a textblock holds `Y.XmlText`s, split by `hardBreak` elements (read as `"\n"`);
//! - marks are formatting attributes of the text named after the mark, whose value is the
//!   mark's attributes: `bold: {}`, `italic: {}`, `provenance: {committee, version, block}`;
//!   marks that may overlap themselves are named `name--<hash>`. Other marks (strike, code,
//!   link, underline, …) are not part of the model and are dropped.
//!
//! Reading is forgiving, because documents come from clients: unknown elements are read as
//! containers of blocks, text directly in a container becomes a paragraph, embeds are skipped,
//! malformed attributes fall back to defaults (a heading without a usable level is level 1, a
//! provenance mark without committee, version and block is dropped). The tree is walked with an
//! explicit stack, never by recursion, so no nesting can overflow the stack; list depth is
//! clamped at [`MAX_LIST_DEPTH`] (deeper items are flattened to that depth).
//!
//! Blocks are flat: a list item is one block, whatever paragraphs it holds (further paragraphs
//! of the same item are joined to it with `"\n"`); paragraphs inside a blockquote are
//! [`BlockKind::Quote`]; a list inside a blockquote gives list items. Blocks without text
//! (empty paragraphs) are left out: they carry nothing to diff, attribute or export.

use yrs::types::Attrs;
use yrs::types::text::YChange;
use yrs::{
    Any, Out, ReadTxn, Snapshot, StateVector, Text, TransactionMut, Xml, XmlElementRef,
    XmlFragment, XmlOut, XmlTextRef,
};

use serde::{Deserialize, Serialize};

use super::{Block, BlockKind, Blocks, Marks, Provenance};

/// List items nested deeper than this are read at this depth.
pub const MAX_LIST_DEPTH: u8 = 16;

/// The name of the fragment Tiptap's Collaboration extension writes.
pub const FRAGMENT: &str = "default";

/// A reading of a document with where each block lives, and optionally who wrote each character.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub blocks: Blocks,
    /// For each block, the index of the top-level node of the fragment that holds it (a list
    /// item's list, a quote's blockquote). Insert after block `i` at `nodes[i] + 1`.
    pub nodes: Vec<u32>,
    /// For each block, the Yjs item IDs of its characters (only from [`read_with_ids`];
    /// empty otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<CharIds>,
}

/// The Yjs item IDs of one block's characters, as runs of consecutive clocks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CharIds {
    pub runs: Vec<IdRun>,
}

/// `len` characters of a block, from char offset `start`, inserted by Yjs client `client` with
/// consecutive clocks from `clock`. Clocks count UTF-16 code units, as Yjs does: a character
/// outside the Basic Multilingual Plane takes two clocks, and its ID is its first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdRun {
    pub start: u32,
    pub len: u32,
    /// The run's length in UTF-16 code units (= clocks).
    pub units: u32,
    pub client: u64,
    pub clock: u32,
}

/// A Yjs item ID: the client that inserted a character, and its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CharId {
    pub client: u64,
    pub clock: u32,
}

impl CharIds {
    /// The ID of every character of `text` (the block's text), `None` where unknown.
    pub fn expand(&self, text: &str) -> Vec<Option<CharId>> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = vec![None; chars.len()];
        for run in &self.runs {
            let mut clock = run.clock;
            let start = run.start as usize;
            let end = start.saturating_add(run.len as usize).min(chars.len());
            for (i, c) in chars.iter().enumerate().take(end).skip(start) {
                if let Some(slot) = out.get_mut(i) {
                    *slot = Some(CharId {
                        client: run.client,
                        clock,
                    });
                }
                clock = clock.saturating_add(c.len_utf16() as u32);
            }
        }
        out
    }

    fn push(&mut self, start: u32, text: &str, id: yrs::ID) {
        let len = text.chars().count() as u32;
        if len == 0 {
            return;
        }
        let units = text.encode_utf16().count() as u32;
        if let Some(last) = self.runs.last_mut()
            && last.client == id.client.get()
            && last.start.checked_add(last.len) == Some(start)
            && last.clock.checked_add(last.units) == Some(id.clock)
        {
            // The clocks go on: text typed in one go, split only by formatting.
            last.len += len;
            last.units += units;
            return;
        }
        self.runs.push(IdRun {
            start,
            len,
            units,
            client: id.client.get(),
            clock: id.clock,
        });
    }
}

/// Reads the fragment `default` into blocks. A document without the fragment is empty.
pub fn read<T: ReadTxn>(txn: &T) -> Blocks {
    read_positions(txn).blocks
}

/// Reads the fragment `default` into blocks, with the top-level node of each block.
pub fn read_positions<T: ReadTxn>(txn: &T) -> Reading {
    let Some(fragment) = txn.get_xml_fragment(FRAGMENT) else {
        return Reading::default();
    };
    let mut source = Plain { txn };
    walk(&mut source, fragment.children(txn).collect(), false)
}

/// Reads the fragment `default` into blocks, with the Yjs item ID of every character: who
/// wrote what.
///
/// Needs a write transaction: in yrs 0.28.1 the fields that would let us walk a text's items
/// (`Branch::start`, `Item::right`, `Item::content`) are crate-private, and the one public way
/// to learn item IDs is `Text::diff_range` with snapshots, which takes a `TransactionMut`
/// because it splits blocks at the snapshots given. Here the snapshot is the current state:
/// nothing is split for good (yrs merges the pieces again at commit) and the transaction
/// commits no update. Each text is first read with a snapshot without the delete set (cheap)
/// and, only if that shows deleted text that is not yet collected, again with the full one.
/// On a live document, prefer reading a copy (load its state into a fresh `Doc`), so that no
/// write lock is held.
pub fn read_with_ids(txn: &mut TransactionMut) -> Reading {
    let Some(fragment) = txn.get_xml_fragment(FRAGMENT) else {
        return Reading::default();
    };
    let children: Vec<XmlOut> = fragment.children(txn).collect();
    let state = txn.state_vector();
    let mut source = WithIds {
        txn,
        state,
        full: None,
    };
    walk(&mut source, children, true)
}

/// Where text chunks come from: a read transaction (marks only) or a write transaction (marks
/// and item IDs).
trait Source {
    fn children(&self, of: &XmlOut) -> Vec<XmlOut>;
    fn tag_and_level(&self, e: &XmlElementRef) -> (String, u8);
    fn chunks(&mut self, text: &XmlTextRef) -> Vec<Chunk>;
    fn element_id(&self, e: &XmlElementRef) -> Option<yrs::ID>;
}

struct Chunk {
    text: String,
    marks: Marks,
    id: Option<yrs::ID>,
}

struct Plain<'a, T: ReadTxn> {
    txn: &'a T,
}

impl<T: ReadTxn> Source for Plain<'_, T> {
    fn children(&self, of: &XmlOut) -> Vec<XmlOut> {
        children(self.txn, of)
    }
    fn tag_and_level(&self, e: &XmlElementRef) -> (String, u8) {
        tag_and_level(self.txn, e)
    }
    fn chunks(&mut self, text: &XmlTextRef) -> Vec<Chunk> {
        plain_chunks(self.txn, text)
    }
    fn element_id(&self, _e: &XmlElementRef) -> Option<yrs::ID> {
        None
    }
}

struct WithIds<'a, 'doc> {
    txn: &'a mut TransactionMut<'doc>,
    state: StateVector,
    /// The current state with its delete set, made the first time a text needs it.
    full: Option<Snapshot>,
}

impl Source for WithIds<'_, '_> {
    fn children(&self, of: &XmlOut) -> Vec<XmlOut> {
        children(&*self.txn, of)
    }
    fn tag_and_level(&self, e: &XmlElementRef) -> (String, u8) {
        tag_and_level(&*self.txn, e)
    }
    fn chunks(&mut self, text: &XmlTextRef) -> Vec<Chunk> {
        let plain = plain_chunks(&*self.txn, text);
        // Every item is visible in `hi` and none in `lo`, so diff_range reports each item as
        // added, with its ID. `hi` without the delete set is cheap (splitting by the delete set
        // costs a pass over it for every text) but would show deleted items that still hold
        // their text (not yet garbage collected, or a document that keeps deleted content):
        // if the result differs from the plain reading, read again with the full snapshot.
        let hi = Snapshot::new(self.state.clone(), Default::default());
        let lo = Snapshot::default();
        let fast = id_chunks(self.txn, text, &hi, &lo);
        if same_text(&plain, &fast) {
            return fast;
        }
        let full = self.full.get_or_insert_with(|| self.txn.snapshot()).clone();
        let exact = id_chunks(self.txn, text, &full, &lo);
        if same_text(&plain, &exact) {
            exact
        } else {
            plain
        }
    }
    fn element_id(&self, e: &XmlElementRef) -> Option<yrs::ID> {
        match yrs::branch::Branch::id(e.as_ref()) {
            yrs::branch::BranchID::Nested(id) => Some(id),
            yrs::branch::BranchID::Root(_) => None,
        }
    }
}

fn id_chunks(
    txn: &mut TransactionMut,
    text: &XmlTextRef,
    hi: &Snapshot,
    lo: &Snapshot,
) -> Vec<Chunk> {
    text.diff_range(txn, Some(hi), Some(lo), YChange::identity)
        .into_iter()
        .filter_map(|d| match d.insert {
            Out::Any(Any::String(s)) => Some(Chunk {
                text: s.to_string(),
                marks: marks_from(d.attributes.as_deref()),
                id: d.ychange.map(|c| c.id),
            }),
            _ => None,
        })
        .collect()
}

/// Whether two readings of a text have the same characters with the same marks.
fn same_text(a: &[Chunk], b: &[Chunk]) -> bool {
    let chars = |chunks: &[Chunk]| -> Vec<(char, usize)> {
        chunks
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.text.chars().map(move |ch| (ch, i)))
            .collect()
    };
    let (ca, cb) = (chars(a), chars(b));
    ca.len() == cb.len()
        && ca
            .iter()
            .zip(cb.iter())
            .all(|(&(x, i), &(y, j))| x == y && a[i].marks == b[j].marks)
}

fn children<T: ReadTxn>(txn: &T, of: &XmlOut) -> Vec<XmlOut> {
    match of {
        XmlOut::Element(e) => e.children(txn).collect(),
        XmlOut::Fragment(f) => f.children(txn).collect(),
        XmlOut::Text(_) => Vec::new(),
    }
}

fn tag_and_level<T: ReadTxn>(txn: &T, e: &XmlElementRef) -> (String, u8) {
    let tag = e.tag().to_string();
    let level = if tag == "heading" {
        e.get_attribute(txn, "level")
            .and_then(|v| match v {
                Out::Any(a) => any_integer(&a),
                _ => None,
            })
            .map_or(1, |l| l.clamp(1, 6) as u8)
    } else {
        0
    };
    (tag, level)
}

fn plain_chunks<T: ReadTxn>(txn: &T, text: &XmlTextRef) -> Vec<Chunk> {
    text.diff(txn, YChange::identity)
        .into_iter()
        .filter_map(|d| match d.insert {
            Out::Any(Any::String(s)) => Some(Chunk {
                text: s.to_string(),
                marks: marks_from(d.attributes.as_deref()),
                id: None,
            }),
            // Embeds (which Tiptap never writes) carry no text.
            _ => None,
        })
        .collect()
}

/// The model's marks from a text run's formatting attributes.
pub fn marks_from(attrs: Option<&Attrs>) -> Marks {
    let mut marks = Marks::default();
    let Some(attrs) = attrs else {
        return marks;
    };
    for (key, value) in attrs {
        if matches!(value, Any::Null | Any::Undefined) {
            continue;
        }
        // Overlapping marks are stored as `name--<hash>`.
        let name = key.split("--").next().unwrap_or_default();
        match name {
            "bold" => marks.bold = true,
            "italic" => marks.italic = true,
            "provenance" => {
                if let Some(p) = provenance_from(value) {
                    // Several provenance marks on one run (only possible as overlapping marks):
                    // keep one, the same whatever the attribute order.
                    let keep = match &marks.provenance {
                        Some(old) => provenance_key(&p) < provenance_key(old),
                        None => true,
                    };
                    if keep {
                        marks.provenance = Some(p);
                    }
                }
            }
            _ => {}
        }
    }
    marks
}

fn provenance_key(p: &Provenance) -> (&str, i64, u32) {
    (p.committee.as_str(), p.version, p.block)
}

/// Longest committee short name accepted in a provenance mark.
pub const MAX_COMMITTEE_LEN: usize = 64;

fn provenance_from(value: &Any) -> Option<Provenance> {
    let Any::Map(map) = value else {
        return None;
    };
    let committee = match map.get("committee")? {
        Any::String(s) if !s.is_empty() && s.chars().count() <= MAX_COMMITTEE_LEN => s.to_string(),
        _ => return None,
    };
    let version = any_integer(map.get("version")?)?;
    let block = u32::try_from(any_integer(map.get("block")?)?).ok()?;
    Some(Provenance {
        committee,
        version,
        block,
    })
}

/// An integral number (JavaScript numbers arrive as integers or floats; numeric strings are
/// accepted too).
fn any_integer(value: &Any) -> Option<i64> {
    match value {
        Any::Number(yrs::Number::Int(i)) => Some(*i),
        Any::Number(yrs::Number::Float(f))
            if f.is_finite() && f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_991.0 =>
        {
            Some(*f as i64)
        }
        Any::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The walk

#[derive(Clone, Copy, Default)]
struct Ctx {
    quote: bool,
    /// Inside a list (ordered, depth of its items).
    list: Option<(bool, u8)>,
    /// Inside a list item: its slot in `Walk::items`, with ordered and depth.
    item: Option<(usize, bool, u8)>,
}

struct Frame {
    children: Vec<XmlOut>,
    next: usize,
    ctx: Ctx,
}

struct Walk {
    reading: Reading,
    /// For each list item being read, the block it started (its further paragraphs join it).
    items: Vec<Option<usize>>,
    /// The length in chars of each block so far.
    lens: Vec<u32>,
    top: u32,
    with_ids: bool,
}

fn walk<S: Source>(source: &mut S, top_children: Vec<XmlOut>, with_ids: bool) -> Reading {
    let mut w = Walk {
        reading: Reading::default(),
        items: Vec::new(),
        lens: Vec::new(),
        top: 0,
        with_ids,
    };
    for (index, node) in top_children.into_iter().enumerate() {
        w.top = index as u32;
        let mut stack = vec![Frame {
            children: vec![node],
            next: 0,
            ctx: Ctx::default(),
        }];
        while let Some(frame) = stack.last_mut() {
            let Some(node) = frame.children.get(frame.next).cloned() else {
                stack.pop();
                continue;
            };
            frame.next += 1;
            let ctx = frame.ctx;
            if let Some(child) = w.visit(source, node, ctx) {
                stack.push(child);
            }
        }
        w.items.clear();
    }
    // Leave out blocks without text.
    let Reading { blocks, nodes, ids } = w.reading;
    let mut out = Reading::default();
    let mut ids = ids.into_iter();
    for (block, node) in blocks.blocks.into_iter().zip(nodes) {
        let block_ids = ids.next();
        if block.is_empty() {
            continue;
        }
        out.blocks.blocks.push(block);
        out.nodes.push(node);
        if with_ids {
            out.ids.push(block_ids.unwrap_or_default());
        }
    }
    out
}

impl Walk {
    /// Reads one node; returns the frame of its children when it is a container.
    fn visit<S: Source>(&mut self, source: &mut S, node: XmlOut, ctx: Ctx) -> Option<Frame> {
        let element = match &node {
            XmlOut::Text(text) => {
                // Text directly in a container: an anonymous paragraph.
                let block = self.start_block(ctx, "paragraph", 0);
                self.text(source, block, text);
                return None;
            }
            XmlOut::Fragment(_) => {
                return Some(Frame {
                    children: source.children(&node),
                    next: 0,
                    ctx,
                });
            }
            XmlOut::Element(e) => e.clone(),
        };
        let (tag, level) = source.tag_and_level(&element);
        match tag.as_str() {
            "paragraph" | "heading" | "codeBlock" => {
                let block = self.start_block(ctx, &tag, level);
                for child in source.children(&node) {
                    match child {
                        XmlOut::Text(text) => self.text(source, block, &text),
                        XmlOut::Element(e) if e.tag().as_ref() == "hardBreak" => {
                            let id = source.element_id(&e);
                            self.append(block, "\n", &Marks::default(), id);
                        }
                        // Other inline nodes (mentions, images): not in StarterKit, no text.
                        _ => {}
                    }
                }
                None
            }
            "horizontalRule" | "hardBreak" => None,
            "bulletList" | "orderedList" => {
                let depth = match (ctx.item, ctx.list) {
                    (Some((_, _, d)), _) => d.saturating_add(1),
                    (None, Some((_, d))) => d.saturating_add(1),
                    (None, None) => 0,
                }
                .min(MAX_LIST_DEPTH);
                let ordered = tag == "orderedList";
                Some(Frame {
                    children: source.children(&node),
                    next: 0,
                    ctx: Ctx {
                        quote: ctx.quote,
                        list: Some((ordered, depth)),
                        item: None,
                    },
                })
            }
            "listItem" => {
                let (ordered, depth) = ctx.list.unwrap_or((false, 0));
                self.items.push(None);
                Some(Frame {
                    children: source.children(&node),
                    next: 0,
                    ctx: Ctx {
                        quote: ctx.quote,
                        list: ctx.list,
                        item: Some((self.items.len() - 1, ordered, depth)),
                    },
                })
            }
            "blockquote" => Some(Frame {
                children: source.children(&node),
                next: 0,
                ctx: Ctx { quote: true, ..ctx },
            }),
            // Unknown elements: containers of blocks.
            _ => Some(Frame {
                children: source.children(&node),
                next: 0,
                ctx,
            }),
        }
    }

    /// The block that a textblock's text goes into.
    fn start_block(&mut self, ctx: Ctx, tag: &str, level: u8) -> usize {
        if let Some((slot, ordered, depth)) = ctx.item {
            // A further paragraph of the same item joins the item's block, if nothing came
            // between (a nested list); otherwise it starts a block of the same depth.
            let last = self.reading.blocks.blocks.len().checked_sub(1);
            if let Some(Some(block)) = self.items.get(slot).copied()
                && Some(block) == last
            {
                self.append(block, "\n", &Marks::default(), None);
                return block;
            }
            let block = self.new_block(BlockKind::ListItem { ordered, depth });
            if let Some(s) = self.items.get_mut(slot) {
                *s = Some(block);
            }
            return block;
        }
        if let Some((ordered, depth)) = ctx.list {
            // A textblock directly in a list (not in a list item): an item of its own.
            return self.new_block(BlockKind::ListItem { ordered, depth });
        }
        let kind = if ctx.quote {
            BlockKind::Quote
        } else if tag == "heading" {
            BlockKind::Heading { level }
        } else {
            BlockKind::Paragraph
        };
        self.new_block(kind)
    }

    fn new_block(&mut self, kind: BlockKind) -> usize {
        self.reading.blocks.blocks.push(Block {
            kind,
            inlines: Vec::new(),
        });
        self.reading.nodes.push(self.top);
        self.lens.push(0);
        if self.with_ids {
            self.reading.ids.push(CharIds::default());
        }
        self.reading.blocks.blocks.len() - 1
    }

    fn text<S: Source>(&mut self, source: &mut S, block: usize, text: &XmlTextRef) {
        for chunk in source.chunks(text) {
            self.append_chunk(block, &chunk);
        }
    }

    fn append_chunk(&mut self, block: usize, chunk: &Chunk) {
        self.append(block, &chunk.text, &chunk.marks, chunk.id);
    }

    fn append(&mut self, block: usize, text: &str, marks: &Marks, id: Option<yrs::ID>) {
        let Some(b) = self.reading.blocks.blocks.get_mut(block) else {
            return;
        };
        let Some(len) = self.lens.get_mut(block) else {
            return;
        };
        let start = *len;
        *len = len.saturating_add(text.chars().count() as u32);
        b.push(text, marks);
        if let (true, Some(id)) = (self.with_ids, id)
            && let Some(ids) = self.reading.ids.get_mut(block)
        {
            ids.push(start, text, id);
        }
    }
}
