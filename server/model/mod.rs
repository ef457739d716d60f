//! The document model: a live document's rich text (the ProseMirror-shaped Y.XmlFragment that
//! Tiptap's StarterKit writes) read into a flat list of blocks with inline marks. Diffs,
//! provenance, the frozen record and every export work on this model, never on yrs types.

//!
//! - [`read`]: a yrs document's fragment `default` into [`Blocks`], optionally with the Yjs item
//!   ID of every character (who wrote it) and the top-level node that holds each block;
//! - [`write`]: [`Blocks`] into a fragment, in exactly the shape Tiptap writes;
//! - [`diff`]: two [`Blocks`] compared block by block and word by word, with authors, as JSON
//!   and as accessible HTML;
//! - [`provenance`]: which LMU responses the joint response draws on, and which LMU points it
//!   reflects;
//! - [`similarity`]: the Danish-aware text similarity that diffs and provenance share.
//!
//! Text offsets in this model count Rust `char`s (Unicode scalar values). Yjs and the browser
//! count UTF-16 code units: a character outside the Basic Multilingual Plane (an emoji) is one
//! `char` here and two units there, and two Yjs clocks. Convert with [`utf16_offset`] and
//! [`char_offset`] when offsets cross to JavaScript.

pub mod diff;
pub mod provenance;
pub mod read;
pub mod similarity;
pub mod write;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_diff;
#[cfg(test)]
mod tests_provenance;

use serde::{Deserialize, Serialize};

/// A document's text as blocks, in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Blocks {
    pub blocks: Vec<Block>,
}

/// One block of text: a heading, a paragraph, a list item or a quoted paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Block {
    #[serde(flatten)]
    pub kind: BlockKind,
    pub inlines: Vec<Inline>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockKind {
    Heading {
        level: u8,
    },
    Paragraph,
    /// An item of a bullet (`ordered: false`) or ordered list; `depth` 0 is the outermost list.
    ListItem {
        ordered: bool,
        depth: u8,
    },
    Quote,
}

/// A run of text with the same marks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Inline {
    pub text: String,
    #[serde(default, skip_serializing_if = "Marks::is_plain")]
    pub marks: Marks,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Marks {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bold: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub italic: bool,
    /// Where the text was taken from (the consolidation of LMU responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

impl Marks {
    pub fn is_plain(&self) -> bool {
        *self == Marks::default()
    }
}

/// The provenance mark: the text was taken from block `block` of version `version` of the
/// response of the LMU `committee` (its short name, e.g. "SBU").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Provenance {
    pub committee: String,
    pub version: i64,
    pub block: u32,
}

impl Block {
    /// A block of one plain run of text (no run if `text` is empty).
    pub fn plain(kind: BlockKind, text: &str) -> Block {
        let mut block = Block {
            kind,
            inlines: Vec::new(),
        };
        block.push(text, &Marks::default());
        block
    }

    /// The block's plain text.
    pub fn text(&self) -> String {
        self.inlines.iter().map(|i| i.text.as_str()).collect()
    }

    /// The length of the block's text in `char`s.
    pub fn char_len(&self) -> usize {
        self.inlines.iter().map(|i| i.text.chars().count()).sum()
    }

    /// Appends text with the given marks, merged into the last run if its marks are equal;
    /// empty text is ignored. Building blocks through this keeps them normal.
    pub fn push(&mut self, text: &str, marks: &Marks) {
        if text.is_empty() {
            return;
        }
        match self.inlines.last_mut() {
            Some(last) if last.marks == *marks => last.text.push_str(text),
            _ => self.inlines.push(Inline {
                text: text.to_owned(),
                marks: marks.clone(),
            }),
        }
    }

    /// Whether the block has no text.
    pub fn is_empty(&self) -> bool {
        self.inlines.iter().all(|i| i.text.is_empty())
    }
}

impl Blocks {
    /// The same content in the form [`read::read`] gives: runs with equal marks merged, no empty
    /// runs, no empty blocks, hard breaks (`\n`) as plain runs of their own, and list depths
    /// that start at 0 and rise by at most one from item to item (a deeper item cannot exist
    /// in ProseMirror without its parent item). [`write`] followed by [`read::read`] gives
    /// `blocks.normalized()`.
    pub fn normalized(&self) -> Blocks {
        let mut out = Vec::with_capacity(self.blocks.len());
        let mut previous_depth: Option<u8> = None;
        for block in &self.blocks {
            let mut normal = Block {
                kind: block.kind,
                inlines: Vec::new(),
            };
            for inline in &block.inlines {
                let mut rest = inline.text.as_str();
                while let Some(at) = rest.find('\n') {
                    normal.push(&rest[..at], &inline.marks);
                    normal.push("\n", &Marks::default());
                    rest = &rest[at + 1..];
                }
                normal.push(rest, &inline.marks);
            }
            if normal.is_empty() {
                continue;
            }
            if let BlockKind::ListItem { ordered, depth } = normal.kind {
                let allowed = previous_depth.map_or(0, |d| d.saturating_add(1));
                let depth = depth.min(allowed).min(read::MAX_LIST_DEPTH);
                normal.kind = BlockKind::ListItem { ordered, depth };
                previous_depth = Some(depth);
            } else {
                previous_depth = None;
            }
            out.push(normal);
        }
        Blocks { blocks: out }
    }

    /// All text, blocks separated by blank lines (for search and similarity, not for display).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for (i, block) in self.blocks.iter().enumerate() {
            if i > 0 {
                out.push_str("\n\n");
            }
            for inline in &block.inlines {
                out.push_str(&inline.text);
            }
        }
        out
    }
}

/// The UTF-16 offset (as JavaScript and Yjs count) of the `char` offset `chars` in `text`;
/// offsets past the end give the length.
pub fn utf16_offset(text: &str, chars: usize) -> usize {
    text.chars().take(chars).map(char::len_utf16).sum()
}

/// The `char` offset of the UTF-16 offset `units` in `text`. An offset inside a surrogate pair
/// gives the character that the pair encodes; offsets past the end give the length.
pub fn char_offset(text: &str, units: usize) -> usize {
    let mut seen = 0;
    for (i, c) in text.chars().enumerate() {
        if seen >= units {
            return i;
        }
        seen += c.len_utf16();
        if seen > units {
            return i;
        }
    }
    text.chars().count()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}
