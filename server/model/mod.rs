//! The document model: a live document's rich text (the ProseMirror-shaped Y.XmlFragment that
//! Tiptap's StarterKit writes) read into a flat list of blocks with inline marks. Diffs,
//! provenance, the frozen record and every export work on this model, never on yrs types.

use serde::{Deserialize, Serialize};

/// A document's text as blocks, in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocks {
    pub blocks: Vec<Block>,
}

/// One block of text: a heading, a paragraph, a list item or a quoted paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The block's plain text.
    pub fn text(&self) -> String {
        self.inlines.iter().map(|i| i.text.as_str()).collect()
    }
}
