//! Diffs between two versions of a document's blocks (two versions, or a version and the live
//! text): blocks aligned as unchanged, inserted, deleted, changed or moved; changed blocks
//! diffed word by word; each inserted span attributed to whoever wrote it and each deleted
//! span to whoever deleted it, when known. The result serialises to JSON ([`Diff`]) and
//! renders as accessible HTML ([`render_html`]).
//!
//! How blocks are aligned:
//!
//! 1. the longest common subsequence of whole blocks (text, marks and kind), by `similar`'s
//!    patience diff: those are unchanged; what lies between forms hunks of old and new blocks;
//! 2. a deleted block whose text equals an inserted block's text in *another* hunk moved;
//! 3. within each hunk, old and new blocks are paired in order where their words are alike
//!    (Dice ≥ [`CHANGED_MIN`]), maximising the total likeness: those changed;
//! 4. what is left is matched across the whole document where the words are nearly the same
//!    (Dice ≥ [`MOVED_MIN`]): those moved (and perhaps changed too); the rest is inserted or
//!    deleted.
//!
//! Changed blocks are diffed over tokens that keep whitespace ([`diff_tokens`]): words of any
//! script (æ, ø, å, accents), runs of whitespace, and single punctuation marks; whitespace
//! alone between two changes is folded into them so that a rewritten phrase reads as one
//! deletion and one insertion.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp, capture_diff_slices, capture_diff_slices_deadline};

use super::read::{CharId, CharIds, Reading};
use super::similarity::{Shape, diff_tokens};
use super::{Block, BlockKind, Blocks, Marks, escape_html};

/// Old and new blocks in one hunk are paired as changed when their words are at least this
/// alike (Dice coefficient of the word multisets).
pub const CHANGED_MIN: f32 = 0.5;
/// A deleted and an inserted block elsewhere are a move when their words are at least this
/// alike.
pub const MOVED_MIN: f32 = 0.75;
/// Near-move matching compares the words of at most this many pairs of blocks (and looks at
/// the sizes of at most 16 times as many); exact moves are always found. Only a document
/// rewritten from end to end comes near: it is shown as deleted and inserted blocks.
pub const MAX_MOVE_PAIRS: usize = 100_000;
/// Hunks with more old × new blocks than this are paired by position instead of by the best
/// alignment.
pub const MAX_HUNK_CELLS: usize = 250_000;
/// Time allowed for the word diff of one block before `similar` settles for a coarser diff.
const WORD_DIFF_DEADLINE: Duration = Duration::from_millis(20);

/// A diff between two versions of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    /// In reading order of the new text; deleted blocks and the places moved blocks left are
    /// where they stood in the old text.
    pub entries: Vec<Entry>,
    pub summary: Summary,
}

/// What happened to one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Unchanged,
    Inserted,
    Deleted,
    /// The same block, edited in place: its spans show the edits.
    Changed,
    /// The block at its new place; its spans show any edits too.
    Moved,
    /// The place in the old text that a moved block left (no spans).
    MovedAway,
}

/// One block of the diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub change: Change,
    /// The block's index in the old blocks (not for inserted blocks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_index: Option<u32>,
    /// The block's index in the new blocks (not for deleted blocks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_index: Option<u32>,
    /// The block's kind: in the new text, or in the old for deleted blocks and moved-away
    /// places.
    pub kind: BlockKind,
    /// The kind in the old text, when it changed (a paragraph made a heading).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_kind: Option<BlockKind>,
    /// The block's text: equal, inserted and deleted spans. Equal and inserted spans make the
    /// new block; equal and deleted spans the old.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<Span>,
    /// For changed and moved blocks, how alike old and new are (0..1, Dice of their words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanOp {
    Equal,
    Inserted,
    Deleted,
}

/// A run of text with one operation, marks and author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub op: SpanOp,
    pub text: String,
    /// The marks: in the new text for equal and inserted spans, in the old for deleted ones.
    #[serde(default, skip_serializing_if = "Marks::is_plain")]
    pub marks: Marks,
    /// For equal spans whose marks changed: the marks in the old text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_marks: Option<Marks>,
    /// Who inserted (inserted spans) or deleted (deleted spans) the text, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// Counts of a diff, and the same in Danish for people.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub unchanged: u32,
    pub inserted: u32,
    pub deleted: u32,
    pub changed: u32,
    pub moved: u32,
    pub words_inserted: u32,
    pub words_deleted: u32,
    /// E.g. "2 afsnit indsat, 1 slettet, 3 ændret, 1 flyttet; 40 ord indsat og 12 slettet."
    pub text: String,
}

/// Who wrote and who deleted what, for [`diff_attributed`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// The display name of the user behind each Yjs client id (the server records it when a
    /// client connects).
    pub users: HashMap<u64, String>,
    /// Who deleted which items, when known (from the delete sets of the updates each user
    /// sent).
    #[serde(default)]
    pub deletions: Vec<Deletion>,
}

/// The items `clocks` of client `client` were deleted by `user`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deletion {
    pub client: u64,
    pub clocks: Range<u32>,
    pub user: String,
}

impl Attribution {
    fn index(&self) -> DeletionIndex<'_> {
        let mut by_client: HashMap<u64, Vec<(u32, u32, &str)>> = HashMap::new();
        for d in &self.deletions {
            if d.clocks.start < d.clocks.end {
                by_client.entry(d.client).or_default().push((
                    d.clocks.start,
                    d.clocks.end,
                    d.user.as_str(),
                ));
            }
        }
        for ranges in by_client.values_mut() {
            ranges.sort_unstable_by_key(|r| r.0);
        }
        DeletionIndex { by_client }
    }
}

struct DeletionIndex<'a> {
    by_client: HashMap<u64, Vec<(u32, u32, &'a str)>>,
}

impl DeletionIndex<'_> {
    fn user(&self, id: CharId) -> Option<&str> {
        let ranges = self.by_client.get(&id.client)?;
        // The last range starting at or before the clock (ranges may overlap: any that covers
        // the clock will do, the latest start is the best guess).
        let at = ranges.partition_point(|r| r.0 <= id.clock);
        ranges[..at]
            .iter()
            .rev()
            .take(8)
            .find(|r| id.clock < r.1)
            .map(|r| r.2)
    }
}

/// The diff of two versions' blocks, without authors.
pub fn diff(old: &Blocks, new: &Blocks) -> Diff {
    Differ::new(old, new, None).run()
}

/// The diff of two readings with item IDs ([`read_with_ids`](super::read::read_with_ids)):
/// inserted spans carry the name of the user whose client inserted them, deleted spans the
/// user who deleted them, where `attribution` knows.
pub fn diff_attributed(old: &Reading, new: &Reading, attribution: &Attribution) -> Diff {
    let deletions = attribution.index();
    let authors = Authors {
        old_ids: &old.ids,
        new_ids: &new.ids,
        users: &attribution.users,
        deletions,
    };
    Differ::new(&old.blocks, &new.blocks, Some(authors)).run()
}

struct Authors<'a> {
    old_ids: &'a [CharIds],
    new_ids: &'a [CharIds],
    users: &'a HashMap<u64, String>,
    deletions: DeletionIndex<'a>,
}

impl Authors<'_> {
    /// The author of each char of a new block's text.
    fn inserters(&self, block: usize, text: &str) -> Vec<Option<String>> {
        match self.new_ids.get(block) {
            Some(ids) => ids
                .expand(text)
                .into_iter()
                .map(|id| id.and_then(|id| self.users.get(&id.client).cloned()))
                .collect(),
            None => vec![None; text.chars().count()],
        }
    }

    /// For each token of old block `i` and new block `j`, a hash of the item IDs of its chars
    /// (`at`: the tokens' char offsets); `None` unless the two blocks share items, i.e. come
    /// from one document's history.
    fn token_identities(
        &self,
        i: usize,
        j: usize,
        old_text: &str,
        new_text: &str,
        old_at: &[usize],
        new_at: &[usize],
    ) -> Option<(Vec<u64>, Vec<u64>)> {
        let old_ids = self.old_ids.get(i)?.expand(old_text);
        let new_ids = self.new_ids.get(j)?.expand(new_text);
        let known: std::collections::HashSet<CharId> = old_ids.iter().flatten().copied().collect();
        if !new_ids.iter().flatten().any(|id| known.contains(id)) {
            return None;
        }
        let hashes = |ids: &[Option<CharId>], at: &[usize]| -> Vec<u64> {
            at.windows(2)
                .map(|w| {
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    ids.get(w[0]..w[1]).unwrap_or_default().hash(&mut h);
                    h.finish()
                })
                .collect()
        };
        Some((hashes(&old_ids, old_at), hashes(&new_ids, new_at)))
    }

    /// The deleter of each char of an old block's text.
    fn deleters(&self, block: usize, text: &str) -> Vec<Option<String>> {
        match self.old_ids.get(block) {
            Some(ids) => ids
                .expand(text)
                .into_iter()
                .map(|id| id.and_then(|id| self.deletions.user(id).map(str::to_owned)))
                .collect(),
            None => vec![None; text.chars().count()],
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Aligning blocks

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fate {
    Open,
    /// Paired in place with a block of the other side.
    Changed(usize),
    /// Moved to (from) a block of the other side.
    Moved(usize),
}

struct Hunk {
    old: Range<usize>,
    new: Range<usize>,
}

struct Differ<'a> {
    old: &'a [Block],
    new: &'a [Block],
    authors: Option<Authors<'a>>,
    old_fate: Vec<Fate>,
    new_fate: Vec<Fate>,
    old_shapes: HashMap<usize, Shape>,
    new_shapes: HashMap<usize, Shape>,
}

impl<'a> Differ<'a> {
    fn new(old: &'a Blocks, new: &'a Blocks, authors: Option<Authors<'a>>) -> Differ<'a> {
        Differ {
            old: &old.blocks,
            new: &new.blocks,
            authors,
            old_fate: vec![Fate::Open; old.blocks.len()],
            new_fate: vec![Fate::Open; new.blocks.len()],
            old_shapes: HashMap::new(),
            new_shapes: HashMap::new(),
        }
    }

    fn run(mut self) -> Diff {
        // Blocks as ids (equal blocks, equal ids): the diff then compares integers.
        let mut ids: HashMap<&Block, u32> = HashMap::new();
        let mut intern = |b: &'a Block| {
            let next = ids.len() as u32;
            *ids.entry(b).or_insert(next)
        };
        let old_ids: Vec<u32> = self.old.iter().map(&mut intern).collect();
        let new_ids: Vec<u32> = self.new.iter().map(&mut intern).collect();
        let ops = capture_diff_slices(Algorithm::Patience, &old_ids, &new_ids);

        let mut hunks: Vec<Hunk> = Vec::new();
        for op in &ops {
            if !matches!(op, DiffOp::Equal { .. }) {
                hunks.push(Hunk {
                    old: op.old_range(),
                    new: op.new_range(),
                });
            }
        }
        for hunk in &hunks {
            for i in hunk.old.clone() {
                self.old_shapes.insert(i, Shape::of(&self.old[i].text()));
            }
            for j in hunk.new.clone() {
                self.new_shapes.insert(j, Shape::of(&self.new[j].text()));
            }
        }
        self.exact_moves(&hunks);
        for hunk in &hunks {
            self.pair_in_hunk(hunk);
        }
        self.near_moves();

        let mut entries = Vec::with_capacity(self.old.len().max(self.new.len()));
        for op in &ops {
            match *op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    for k in 0..len {
                        entries.push(self.unchanged(old_index + k, new_index + k));
                    }
                }
                _ => self.emit_hunk(op.old_range(), op.new_range(), &mut entries),
            }
        }
        let summary = summarise(&entries);
        Diff { entries, summary }
    }

    /// Step 2: equal texts in different hunks.
    fn exact_moves(&mut self, hunks: &[Hunk]) {
        let mut deleted: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (h, hunk) in hunks.iter().enumerate() {
            for i in hunk.old.clone() {
                deleted.entry(self.old[i].text()).or_default().push((i, h));
            }
        }
        for (h, hunk) in hunks.iter().enumerate() {
            for j in hunk.new.clone() {
                let text = self.new[j].text();
                if text.trim().is_empty() {
                    continue;
                }
                let Some(candidates) = deleted.get_mut(&text) else {
                    continue;
                };
                if let Some(pos) = candidates
                    .iter()
                    .position(|&(i, oh)| oh != h && self.old_fate[i] == Fate::Open)
                {
                    let (i, _) = candidates.remove(pos);
                    self.old_fate[i] = Fate::Moved(j);
                    self.new_fate[j] = Fate::Moved(i);
                }
            }
        }
    }

    fn dice(&self, i: usize, j: usize) -> f32 {
        match (self.old_shapes.get(&i), self.new_shapes.get(&j)) {
            (Some(a), Some(b)) => a.dice(b),
            _ => 0.0,
        }
    }

    /// Step 3: the best order-keeping pairing of the open blocks of a hunk.
    fn pair_in_hunk(&mut self, hunk: &Hunk) {
        let olds: Vec<usize> = hunk
            .old
            .clone()
            .filter(|&i| self.old_fate[i] == Fate::Open)
            .collect();
        let news: Vec<usize> = hunk
            .new
            .clone()
            .filter(|&j| self.new_fate[j] == Fate::Open)
            .collect();
        if olds.is_empty() || news.is_empty() {
            return;
        }
        if olds.len().saturating_mul(news.len()) > MAX_HUNK_CELLS {
            for (&i, &j) in olds.iter().zip(news.iter()) {
                if self.dice(i, j) >= CHANGED_MIN {
                    self.old_fate[i] = Fate::Changed(j);
                    self.new_fate[j] = Fate::Changed(i);
                }
            }
            return;
        }
        // score[a][b]: the best total for olds[a..] and news[b..].
        let (n, m) = (olds.len(), news.len());
        let width = m + 1;
        let mut score = vec![0f32; (n + 1) * width];
        let mut sims = vec![0f32; n * m];
        for a in 0..n {
            for b in 0..m {
                sims[a * m + b] = self.dice(olds[a], news[b]);
            }
        }
        for a in (0..n).rev() {
            for b in (0..m).rev() {
                let skip = score[(a + 1) * width + b].max(score[a * width + b + 1]);
                let s = sims[a * m + b];
                let take = if s >= CHANGED_MIN {
                    s + score[(a + 1) * width + b + 1]
                } else {
                    f32::MIN
                };
                score[a * width + b] = skip.max(take);
            }
        }
        let (mut a, mut b) = (0, 0);
        while a < n && b < m {
            let s = sims[a * m + b];
            if s >= CHANGED_MIN && score[a * width + b] == s + score[(a + 1) * width + b + 1] {
                self.old_fate[olds[a]] = Fate::Changed(news[b]);
                self.new_fate[news[b]] = Fate::Changed(olds[a]);
                a += 1;
                b += 1;
            } else if score[a * width + b] == score[(a + 1) * width + b] {
                a += 1;
            } else {
                b += 1;
            }
        }
    }

    /// Step 4: nearly equal blocks anywhere.
    fn near_moves(&mut self) {
        let olds: Vec<usize> = (0..self.old.len())
            .filter(|&i| self.old_fate[i] == Fate::Open && self.old_shapes.contains_key(&i))
            .collect();
        let news: Vec<usize> = (0..self.new.len())
            .filter(|&j| self.new_fate[j] == Fate::Open && self.new_shapes.contains_key(&j))
            .collect();
        if olds.is_empty() || news.is_empty() {
            return;
        }
        let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
        let (mut compared, mut visited) = (0usize, 0usize);
        'outer: for &i in &olds {
            for &j in &news {
                visited += 1;
                if visited > MAX_MOVE_PAIRS * 16 {
                    break 'outer;
                }
                let (Some(a), Some(b)) = (self.old_shapes.get(&i), self.new_shapes.get(&j)) else {
                    continue;
                };
                if a.word_count() == 0 || a.dice_bound(b) < MOVED_MIN {
                    continue;
                }
                compared += 1;
                if compared > MAX_MOVE_PAIRS {
                    break 'outer;
                }
                let s = a.dice(b);
                if s >= MOVED_MIN {
                    candidates.push((s, i, j));
                }
            }
        }
        // Best first; ties by position, so the result does not depend on hashing.
        candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        for (_, i, j) in candidates {
            if self.old_fate[i] == Fate::Open && self.new_fate[j] == Fate::Open {
                self.old_fate[i] = Fate::Moved(j);
                self.new_fate[j] = Fate::Moved(i);
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Entries

    fn emit_hunk(&self, old: Range<usize>, new: Range<usize>, out: &mut Vec<Entry>) {
        let (mut i, mut j) = (old.start, new.start);
        loop {
            // The next in-place pair, if any.
            let next_pair = (i..old.end).find_map(|a| match self.old_fate[a] {
                Fate::Changed(b) => Some((a, b)),
                _ => None,
            });
            let (stop_old, stop_new) = next_pair.unwrap_or((old.end, new.end));
            while i < stop_old {
                out.push(self.old_only(i));
                i += 1;
            }
            while j < stop_new {
                out.push(self.new_only(j));
                j += 1;
            }
            match next_pair {
                Some((a, b)) => {
                    out.push(self.paired(a, b, Change::Changed));
                    i = a + 1;
                    j = b + 1;
                }
                None => break,
            }
        }
    }

    fn old_only(&self, i: usize) -> Entry {
        let block = &self.old[i];
        match self.old_fate[i] {
            Fate::Moved(j) => Entry {
                change: Change::MovedAway,
                old_index: Some(i as u32),
                new_index: Some(j as u32),
                kind: block.kind,
                old_kind: None,
                spans: Vec::new(),
                similarity: None,
            },
            _ => {
                let text = block.text();
                let deleters = self.authors.as_ref().map(|a| a.deleters(i, &text));
                let mut spans = Vec::new();
                let marks = char_marks(block);
                let chars: Vec<char> = text.chars().collect();
                push_split(
                    &mut spans,
                    SpanOp::Deleted,
                    &chars,
                    0..chars.len(),
                    |k| (marks.get(k).copied(), None, author_at(&deleters, k)),
                    block,
                    None,
                );
                Entry {
                    change: Change::Deleted,
                    old_index: Some(i as u32),
                    new_index: None,
                    kind: block.kind,
                    old_kind: None,
                    spans,
                    similarity: None,
                }
            }
        }
    }

    fn new_only(&self, j: usize) -> Entry {
        match self.new_fate[j] {
            Fate::Moved(i) => self.paired(i, j, Change::Moved),
            _ => {
                let block = &self.new[j];
                let text = block.text();
                let inserters = self.authors.as_ref().map(|a| a.inserters(j, &text));
                let marks = char_marks(block);
                let chars: Vec<char> = text.chars().collect();
                let mut spans = Vec::new();
                push_split(
                    &mut spans,
                    SpanOp::Inserted,
                    &chars,
                    0..chars.len(),
                    |k| (marks.get(k).copied(), None, author_at(&inserters, k)),
                    block,
                    None,
                );
                Entry {
                    change: Change::Inserted,
                    old_index: None,
                    new_index: Some(j as u32),
                    kind: block.kind,
                    old_kind: None,
                    spans,
                    similarity: None,
                }
            }
        }
    }

    fn unchanged(&self, i: usize, j: usize) -> Entry {
        let block = &self.new[j];
        Entry {
            change: Change::Unchanged,
            old_index: Some(i as u32),
            new_index: Some(j as u32),
            kind: block.kind,
            old_kind: None,
            spans: block
                .inlines
                .iter()
                .map(|inline| Span {
                    op: SpanOp::Equal,
                    text: inline.text.clone(),
                    marks: inline.marks.clone(),
                    old_marks: None,
                    author: None,
                })
                .collect(),
            similarity: None,
        }
    }

    /// A block present on both sides: changed in place or moved.
    fn paired(&self, i: usize, j: usize, change: Change) -> Entry {
        let (old, new) = (&self.old[i], &self.new[j]);
        if old == new {
            let mut entry = self.unchanged(i, j);
            if change == Change::Moved {
                entry.change = Change::Moved;
                entry.similarity = Some(1.0);
            }
            return entry;
        }
        let spans = self.word_diff(i, j);
        let similarity = match (self.old_shapes.get(&i), self.new_shapes.get(&j)) {
            (Some(a), Some(b)) => a.dice(b),
            _ => Shape::of(&old.text()).dice(&Shape::of(&new.text())),
        };
        Entry {
            change,
            old_index: Some(i as u32),
            new_index: Some(j as u32),
            kind: new.kind,
            old_kind: (old.kind != new.kind).then_some(old.kind),
            spans,
            similarity: Some(similarity),
        }
    }

    /// The word diff of old block `i` and new block `j`.
    fn word_diff(&self, i: usize, j: usize) -> Vec<Span> {
        let (old, new) = (&self.old[i], &self.new[j]);
        let (old_text, new_text) = (old.text(), new.text());
        let old_tokens = diff_tokens(&old_text);
        let new_tokens = diff_tokens(&new_text);

        // Char offsets of the tokens.
        let offsets = |tokens: &[&str]| -> Vec<usize> {
            let mut out = Vec::with_capacity(tokens.len() + 1);
            let mut at = 0;
            out.push(0);
            for t in tokens {
                at += t.chars().count();
                out.push(at);
            }
            out
        };
        let (old_at, new_at) = (offsets(&old_tokens), offsets(&new_tokens));

        let deadline = Some(Instant::now() + WORD_DIFF_DEADLINE);
        let identities = self
            .authors
            .as_ref()
            .and_then(|a| a.token_identities(i, j, &old_text, &new_text, &old_at, &new_at));
        let ops = match identities {
            // Both versions come from one document's history: the same token is the same
            // token only if its characters are the same items, so that a deleted space is
            // the one that was deleted and each span gets the right author.
            Some((old_ids, new_ids)) => {
                let old_keys: Vec<(&str, u64)> = old_tokens.iter().copied().zip(old_ids).collect();
                let new_keys: Vec<(&str, u64)> = new_tokens.iter().copied().zip(new_ids).collect();
                capture_diff_slices_deadline(Algorithm::Myers, &old_keys, &new_keys, deadline)
            }
            None => {
                capture_diff_slices_deadline(Algorithm::Myers, &old_tokens, &new_tokens, deadline)
            }
        };
        let mut segments = fold_whitespace(&ops, &old_tokens);
        // Text deleted and typed again is no change to a reader.
        for seg in &mut segments {
            if !seg.equal
                && old_tokens.get(seg.old.clone()).unwrap_or_default()
                    == new_tokens.get(seg.new.clone()).unwrap_or_default()
                && !seg.old.is_empty()
            {
                seg.equal = true;
            }
        }
        let old_chars: Vec<char> = old_text.chars().collect();
        let new_chars: Vec<char> = new_text.chars().collect();
        let old_marks = char_marks(old);
        let new_marks = char_marks(new);
        let inserters = self.authors.as_ref().map(|a| a.inserters(j, &new_text));
        let deleters = self.authors.as_ref().map(|a| a.deleters(i, &old_text));
        let at = |offsets: &[usize], k: usize| offsets.get(k).copied().unwrap_or(0);

        let mut spans = Vec::new();
        for seg in segments {
            let o = at(&old_at, seg.old.start)..at(&old_at, seg.old.end);
            let n = at(&new_at, seg.new.start)..at(&new_at, seg.new.end);
            if seg.equal {
                let shift = o.start;
                let base = n.start;
                push_split(
                    &mut spans,
                    SpanOp::Equal,
                    &new_chars,
                    n,
                    |k| {
                        let nm = new_marks.get(k).copied();
                        let om = old_marks.get(k - base + shift).copied();
                        (nm, om, None)
                    },
                    new,
                    Some(old),
                );
            } else {
                push_split(
                    &mut spans,
                    SpanOp::Deleted,
                    &old_chars,
                    o,
                    |k| (old_marks.get(k).copied(), None, author_at(&deleters, k)),
                    old,
                    None,
                );
                push_split(
                    &mut spans,
                    SpanOp::Inserted,
                    &new_chars,
                    n,
                    |k| (new_marks.get(k).copied(), None, author_at(&inserters, k)),
                    new,
                    None,
                );
            }
        }
        spans
    }
}

fn author_at(authors: &Option<Vec<Option<String>>>, k: usize) -> Option<&str> {
    authors
        .as_ref()
        .and_then(|a| a.get(k))
        .and_then(|a| a.as_deref())
}

/// For each char of a block, the index of the inline it is in.
fn char_marks(block: &Block) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, inline) in block.inlines.iter().enumerate() {
        out.extend(std::iter::repeat_n(i, inline.text.chars().count()));
    }
    out
}

/// Appends the chars `range` as spans of `op`, split wherever the marks (inline index in
/// `block`, and in `old_block` for equal spans) or the author change.
fn push_split<'x>(
    spans: &mut Vec<Span>,
    op: SpanOp,
    chars: &[char],
    range: Range<usize>,
    at: impl Fn(usize) -> (Option<usize>, Option<usize>, Option<&'x str>),
    block: &Block,
    old_block: Option<&Block>,
) {
    let mut start = range.start;
    while start < range.end {
        let key = at(start);
        let mut end = start + 1;
        while end < range.end && at(end) == key {
            end += 1;
        }
        let text: String = chars.get(start..end).unwrap_or_default().iter().collect();
        let (inline, old_inline, author) = key;
        let marks = inline
            .and_then(|k| block.inlines.get(k))
            .map(|i| i.marks.clone())
            .unwrap_or_default();
        let old_marks = match (old_block, old_inline) {
            (Some(old), Some(k)) => old
                .inlines
                .get(k)
                .map(|i| i.marks.clone())
                .filter(|m| *m != marks),
            _ => None,
        };
        let author = author.map(str::to_owned);
        match spans.last_mut() {
            Some(last)
                if last.op == op
                    && last.marks == marks
                    && last.old_marks == old_marks
                    && last.author == author =>
            {
                last.text.push_str(&text)
            }
            _ => spans.push(Span {
                op,
                text,
                marks,
                old_marks,
                author,
            }),
        }
        start = end;
    }
}

struct Segment {
    equal: bool,
    old: Range<usize>,
    new: Range<usize>,
}

/// The token diff as equal and changed segments, with whitespace-only equal stretches between
/// two changes folded into them.
fn fold_whitespace(ops: &[DiffOp], old: &[&str]) -> Vec<Segment> {
    let raw: Vec<Segment> = ops
        .iter()
        .map(|op| Segment {
            equal: matches!(op, DiffOp::Equal { .. }),
            old: op.old_range(),
            new: op.new_range(),
        })
        .collect();
    let is_blank = |seg: &Segment| {
        old.get(seg.old.clone())
            .unwrap_or_default()
            .iter()
            .all(|t| t.chars().all(char::is_whitespace))
    };
    let mut out: Vec<Segment> = Vec::with_capacity(raw.len());
    let mut k = 0;
    while k < raw.len() {
        let seg = &raw[k];
        let fold = seg.equal
            && k > 0
            && k + 1 < raw.len()
            && !raw[k + 1].equal
            && out.last().is_some_and(|l| !l.equal)
            && is_blank(seg);
        if fold || (!seg.equal && out.last().is_some_and(|l| !l.equal)) {
            if let Some(last) = out.last_mut() {
                last.old.end = seg.old.end;
                last.new.end = seg.new.end;
            }
        } else {
            out.push(Segment {
                equal: seg.equal,
                old: seg.old.clone(),
                new: seg.new.clone(),
            });
        }
        k += 1;
    }
    out
}

fn summarise(entries: &[Entry]) -> Summary {
    let mut s = Summary::default();
    for e in entries {
        match e.change {
            Change::Unchanged => s.unchanged += 1,
            Change::Inserted => s.inserted += 1,
            Change::Deleted => s.deleted += 1,
            Change::Changed => s.changed += 1,
            Change::Moved => s.moved += 1,
            Change::MovedAway => {}
        }
        for span in &e.spans {
            let words = || {
                diff_tokens(&span.text)
                    .iter()
                    .filter(|t| t.chars().next().is_some_and(char::is_alphanumeric))
                    .count() as u32
            };
            match span.op {
                SpanOp::Inserted => s.words_inserted += words(),
                SpanOp::Deleted => s.words_deleted += words(),
                SpanOp::Equal => {}
            }
        }
    }
    s.text = summary_text(&s);
    s
}

fn summary_text(s: &Summary) -> String {
    let counts = [
        (s.inserted, "indsat"),
        (s.deleted, "slettet"),
        (s.changed, "ændret"),
        (s.moved, "flyttet"),
    ];
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, _)| *n > 0)
        .enumerate()
        // "3 afsnit indsat, 1 slettet": the noun once, after the first count.
        .map(|(k, (n, verb))| {
            if k == 0 {
                format!("{n} afsnit {verb}")
            } else {
                format!("{n} {verb}")
            }
        })
        .collect();
    if parts.is_empty() {
        return "Ingen ændringer.".to_owned();
    }
    format!(
        "{}; {} ord indsat og {} slettet.",
        parts.join(", "),
        s.words_inserted,
        s.words_deleted
    )
}

// ---------------------------------------------------------------------------------------------
// Applying a diff

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("the diff does not describe these old blocks (block {0} differs)")]
    Mismatch(u32),
    #[error("the diff's old indices are not the blocks 0..{0}")]
    BadIndices(usize),
}

/// The new blocks, from the diff alone: equal and inserted spans of every entry that has a
/// place in the new text, in order.
pub fn new_blocks(diff: &Diff) -> Blocks {
    let mut blocks = Vec::new();
    for e in &diff.entries {
        if e.new_index.is_none() || e.change == Change::MovedAway {
            continue;
        }
        let mut block = Block {
            kind: e.kind,
            inlines: Vec::new(),
        };
        for span in &e.spans {
            if span.op != SpanOp::Deleted {
                block.push(&span.text, &span.marks);
            }
        }
        blocks.push(block);
    }
    Blocks { blocks }
}

/// The old blocks, from the diff alone: equal (with their old marks) and deleted spans of every
/// entry that had a place in the old text, in old order.
pub fn old_blocks(diff: &Diff) -> Result<Blocks, ApplyError> {
    let mut blocks: Vec<(u32, Block)> = Vec::new();
    for e in &diff.entries {
        let Some(index) = e.old_index else {
            continue;
        };
        if e.change == Change::MovedAway {
            continue;
        }
        let mut block = Block {
            kind: e.old_kind.unwrap_or(e.kind),
            inlines: Vec::new(),
        };
        for span in &e.spans {
            match span.op {
                SpanOp::Inserted => {}
                SpanOp::Deleted => block.push(&span.text, &span.marks),
                SpanOp::Equal => {
                    block.push(&span.text, span.old_marks.as_ref().unwrap_or(&span.marks))
                }
            }
        }
        blocks.push((index, block));
    }
    blocks.sort_by_key(|(i, _)| *i);
    if blocks
        .iter()
        .enumerate()
        .any(|(k, (i, _))| *i as usize != k)
    {
        return Err(ApplyError::BadIndices(blocks.len()));
    }
    Ok(Blocks {
        blocks: blocks.into_iter().map(|(_, b)| b).collect(),
    })
}

/// Applies a diff to the old blocks it was made from: checks that it describes them, and gives
/// the new blocks.
pub fn apply(old: &Blocks, diff: &Diff) -> Result<Blocks, ApplyError> {
    let described = old_blocks(diff)?;
    if described.blocks.len() != old.blocks.len() {
        return Err(ApplyError::BadIndices(old.blocks.len()));
    }
    for (k, (a, b)) in described.blocks.iter().zip(&old.blocks).enumerate() {
        if a != b {
            return Err(ApplyError::Mismatch(k as u32));
        }
    }
    Ok(new_blocks(diff))
}

// ---------------------------------------------------------------------------------------------
// HTML

/// Styles for [`render_html`]: changes are marked by underline, strike-through, a dotted
/// underline and visible labels, never by colour alone; screen readers get text labels.
pub const DIFF_CSS: &str = r#".samskriv-diff .visually-hidden{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.samskriv-diff ins{text-decoration:underline;text-decoration-thickness:2px;background:#e6f4ea}
.samskriv-diff del{text-decoration:line-through;background:#fce8e6}
.samskriv-diff .diff-format{text-decoration:underline dotted}
.samskriv-diff .diff-label{font-size:.85em;font-weight:bold;margin:.75em 0 .25em}
.samskriv-diff .diff-block{border-left:4px solid transparent;padding-left:.5em}
.samskriv-diff .diff-inserted{border-left:4px double}
.samskriv-diff .diff-deleted{border-left:4px dashed}
.samskriv-diff .diff-changed,.samskriv-diff .diff-moved{border-left:4px solid}
.samskriv-diff .diff-moved-away{border-left:4px dotted;font-style:italic}
.samskriv-diff .diff-author{font-size:.8em}
.samskriv-diff .diff-list-item{margin-left:1.5em}
.samskriv-diff .diff-depth-1{margin-left:3em}.samskriv-diff .diff-depth-2{margin-left:4.5em}
.samskriv-diff .diff-depth-3{margin-left:6em}.samskriv-diff .diff-depth-4{margin-left:7.5em}
.samskriv-diff .diff-depth-5{margin-left:9em}.samskriv-diff .diff-depth-6{margin-left:10.5em}
.samskriv-diff .diff-depth-7{margin-left:12em}.samskriv-diff .diff-depth-8{margin-left:13.5em}
.samskriv-diff .diff-depth-9{margin-left:15em}.samskriv-diff .diff-depth-10{margin-left:16.5em}
.samskriv-diff .diff-depth-11{margin-left:18em}.samskriv-diff .diff-depth-12{margin-left:19.5em}
.samskriv-diff .diff-depth-13{margin-left:21em}.samskriv-diff .diff-depth-14{margin-left:22.5em}
.samskriv-diff .diff-depth-15{margin-left:24em}.samskriv-diff .diff-depth-16{margin-left:25.5em}
"#;

/// A whole HTML page (Danish, UTF-8, styled with [`DIFF_CSS`], no scripts, no inline styles)
/// showing the diff under the heading `title`: for a response served on its own. Inside the
/// app, embed [`render_html`] and include [`DIFF_CSS`] instead.
pub fn render_html_page(diff: &Diff, title: &str) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
    );
    escape_html(title, &mut out);
    out.push_str("</title>\n<style>\n");
    out.push_str(DIFF_CSS);
    out.push_str("</style>\n</head>\n<body>\n<main>\n<h1>");
    escape_html(title, &mut out);
    out.push_str("</h1>\n");
    out.push_str(&render_html(diff));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// Renders a diff as accessible HTML (a fragment, in Danish): each block in a `<div>` with a
/// visible label ("Indsat", "Slettet", "Ændret", "Flyttet hertil fra afsnit 3", "Flyttet herfra
/// til afsnit 8"); inserted text in `<ins>`, deleted in `<del>`, each with visually hidden labels
/// that say where the change starts and ends and who made it ("indsat af Anne Hansen: … slut
/// indsat"); formatting changes likewise. Headings are rendered one level down (a level-1
/// heading as `<h2>`), so the diff can sit under a page's `<h1>`. All text is escaped. Style
/// with [`DIFF_CSS`].
pub fn render_html(diff: &Diff) -> String {
    let mut out = String::with_capacity(diff.entries.len() * 200);
    out.push_str("<div class=\"samskriv-diff\">\n<p class=\"diff-summary\">");
    escape_html(&diff.summary.text, &mut out);
    out.push_str("</p>\n");
    let mut counters: Vec<u32> = Vec::new();
    for e in &diff.entries {
        let (class, label) = match e.change {
            Change::Unchanged => ("diff-unchanged", None),
            Change::Inserted => ("diff-inserted", Some("Indsat".to_owned())),
            Change::Deleted => ("diff-deleted", Some("Slettet".to_owned())),
            Change::Changed => ("diff-changed", Some(changed_label(e))),
            Change::Moved => (
                "diff-moved",
                Some(format!(
                    "Flyttet hertil fra afsnit {}{}",
                    e.old_index.map_or(0, |i| i + 1),
                    if e.spans.iter().any(|s| s.op != SpanOp::Equal) {
                        " og ændret"
                    } else {
                        ""
                    }
                )),
            ),
            Change::MovedAway => (
                "diff-moved-away",
                Some(format!(
                    "Flyttet herfra til afsnit {}",
                    e.new_index.map_or(0, |i| i + 1)
                )),
            ),
        };
        out.push_str("<div class=\"diff-block ");
        out.push_str(class);
        out.push_str("\">");
        if let Some(label) = label {
            out.push_str("<p class=\"diff-label\">");
            escape_html(&label, &mut out);
            out.push_str("</p>");
        }
        if e.change == Change::MovedAway {
            out.push_str("</div>\n");
            continue;
        }
        let in_new = e.new_index.is_some();
        let (open, close) = block_tags(e.kind, in_new, &mut counters);
        out.push_str(&open);
        for span in &e.spans {
            render_span(span, &mut out);
        }
        out.push_str(&close);
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n");
    out
}

fn changed_label(e: &Entry) -> String {
    match e.old_kind {
        Some(old) if old != e.kind => {
            format!("Ændret (fra {} til {})", kind_name(old), kind_name(e.kind))
        }
        _ => "Ændret".to_owned(),
    }
}

fn kind_name(kind: BlockKind) -> String {
    match kind {
        BlockKind::Heading { level } => format!("overskrift {level}"),
        BlockKind::Paragraph => "afsnit".to_owned(),
        BlockKind::ListItem { ordered: true, .. } => "nummereret punkt".to_owned(),
        BlockKind::ListItem { ordered: false, .. } => "punkt".to_owned(),
        BlockKind::Quote => "citat".to_owned(),
    }
}

fn block_tags(kind: BlockKind, in_new: bool, counters: &mut Vec<u32>) -> (String, String) {
    if !matches!(kind, BlockKind::ListItem { .. }) && in_new {
        counters.clear();
    }
    match kind {
        BlockKind::Heading { level } => {
            let h = (level.clamp(1, 6) + 1).min(6);
            (format!("<h{h}>"), format!("</h{h}>"))
        }
        BlockKind::Paragraph => ("<p>".to_owned(), "</p>".to_owned()),
        BlockKind::Quote => ("<blockquote><p>".to_owned(), "</p></blockquote>".to_owned()),
        BlockKind::ListItem { ordered, depth } => {
            let d = depth as usize;
            let marker = if ordered && in_new {
                counters.resize(d + 1, 0);
                counters[d] += 1;
                format!("{}.", counters[d])
            } else if ordered {
                "–".to_owned()
            } else {
                "•".to_owned()
            };
            (
                format!(
                    "<p class=\"diff-list-item diff-depth-{d}\"><span class=\"diff-marker\">{marker}</span> "
                ),
                "</p>".to_owned(),
            )
        }
    }
}

fn render_span(span: &Span, out: &mut String) {
    let (tag, label, end) = match span.op {
        SpanOp::Equal if span.old_marks.is_some() => (
            "span class=\"diff-format\"",
            "formatering ændret",
            "slut formatering",
        ),
        SpanOp::Equal => ("", "", ""),
        SpanOp::Inserted => ("ins", "indsat", "slut indsat"),
        SpanOp::Deleted => ("del", "slettet", "slut slettet"),
    };
    if !tag.is_empty() {
        out.push('<');
        out.push_str(tag);
        out.push('>');
        out.push_str("<span class=\"visually-hidden\">");
        out.push_str(label);
        if let Some(author) = &span.author {
            out.push_str(" af ");
            escape_html(author, out);
        }
        out.push_str(": </span>");
    }
    let (open, close) = mark_tags(&span.marks);
    out.push_str(open);
    for (k, line) in span.text.split('\n').enumerate() {
        if k > 0 {
            out.push_str("<br>");
        }
        escape_html(line, out);
    }
    out.push_str(close);
    if !tag.is_empty() {
        out.push_str("<span class=\"visually-hidden\"> ");
        out.push_str(end);
        out.push_str("</span>");
        if let (Some(author), SpanOp::Inserted | SpanOp::Deleted) = (&span.author, span.op) {
            out.push_str("<span class=\"diff-author\" aria-hidden=\"true\"> (");
            escape_html(author, out);
            out.push_str(")</span>");
        }
        let name = tag.split(' ').next().unwrap_or("span");
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }
}

fn mark_tags(marks: &Marks) -> (&'static str, &'static str) {
    match (marks.bold, marks.italic) {
        (true, true) => ("<strong><em>", "</em></strong>"),
        (true, false) => ("<strong>", "</strong>"),
        (false, true) => ("<em>", "</em>"),
        (false, false) => ("", ""),
    }
}
