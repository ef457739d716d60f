//! The flat block list read back into the tree every export writes: lists nested from the
//! items' depths, consecutive quoted paragraphs in one quote, inline runs merged by marks.

use crate::model::{Block, BlockKind, Blocks, Inline};

use super::sanitize;

/// A run of text with its marks; provenance is dropped. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// A document as a tree of nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    /// `level` is clamped to 1–6.
    Heading {
        level: u8,
        spans: Vec<Span>,
    },
    Paragraph(Vec<Span>),
    /// The paragraphs of consecutive quote blocks.
    Quote(Vec<Vec<Span>>),
    List(List),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct List {
    pub ordered: bool,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub spans: Vec<Span>,
    /// Lists nested in this item, in order (more than one when their kinds differ).
    pub children: Vec<List>,
}

/// An inline run list as spans: text sanitised, empty runs dropped, neighbours with the same
/// bold/italic merged.
pub(crate) fn spans(inlines: &[Inline]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for inline in inlines {
        let text = sanitize(&inline.text);
        if text.is_empty() {
            continue;
        }
        let (bold, italic) = (inline.marks.bold, inline.marks.italic);
        match out.last_mut() {
            Some(last) if last.bold == bold && last.italic == italic => last.text.push_str(&text),
            _ => out.push(Span { text, bold, italic }),
        }
    }
    out
}

/// Plain spans from a string.
pub(crate) fn plain(text: &str) -> Vec<Span> {
    let text = sanitize(text);
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Span {
            text,
            bold: false,
            italic: false,
        }]
    }
}

/// The document as a tree.
///
/// A list item's depth can grow by at most one from the item before it (a deeper item is
/// taken as one level deeper: there is no item to hang it under otherwise), and the first item
/// of a list is at depth 0. Items at the same depth whose kind (ordered or not) changes start a
/// new sibling list. Any other block ends all open lists.
pub(crate) fn tree(doc: &Blocks) -> Vec<Node> {
    let blocks = &doc.blocks;
    let mut nodes = Vec::new();
    let mut i = 0;
    while let Some(block) = blocks.get(i) {
        match block.kind {
            BlockKind::Heading { level } => {
                nodes.push(Node::Heading {
                    level: level.clamp(1, 6),
                    spans: spans(&block.inlines),
                });
                i += 1;
            }
            BlockKind::Paragraph => {
                nodes.push(Node::Paragraph(spans(&block.inlines)));
                i += 1;
            }
            BlockKind::Quote => {
                let mut paragraphs = Vec::new();
                while let Some(b) = blocks.get(i).filter(|b| b.kind == BlockKind::Quote) {
                    paragraphs.push(spans(&b.inlines));
                    i += 1;
                }
                nodes.push(Node::Quote(paragraphs));
            }
            BlockKind::ListItem { .. } => {
                let mut run = Vec::new();
                let mut previous: Option<usize> = None;
                while let Some((ordered, depth, b)) = blocks.get(i).and_then(list_item) {
                    let depth = match previous {
                        None => 0,
                        Some(p) => depth.min(p + 1),
                    };
                    previous = Some(depth);
                    run.push(FlatItem {
                        ordered,
                        depth,
                        block: b,
                    });
                    i += 1;
                }
                let mut pos = 0;
                for list in lists_at(&run, &mut pos, 0) {
                    nodes.push(Node::List(list));
                }
            }
        }
    }
    nodes
}

struct FlatItem<'a> {
    ordered: bool,
    depth: usize,
    block: &'a Block,
}

fn list_item(block: &Block) -> Option<(bool, usize, &Block)> {
    match block.kind {
        BlockKind::ListItem { ordered, depth } => Some((ordered, usize::from(depth), block)),
        _ => None,
    }
}

/// The lists at `depth` from `run[*pos]` on; deeper items become children of the item before
/// them. Depths grow by at most one per item, so recursion is bounded by 256.
fn lists_at(run: &[FlatItem<'_>], pos: &mut usize, depth: usize) -> Vec<List> {
    let mut lists: Vec<List> = Vec::new();
    while let Some(item) = run.get(*pos).filter(|it| it.depth >= depth) {
        *pos += 1;
        let children = match run.get(*pos) {
            Some(next) if next.depth > depth => lists_at(run, pos, depth + 1),
            _ => Vec::new(),
        };
        let item_node = Item {
            spans: spans(&item.block.inlines),
            children,
        };
        match lists.last_mut() {
            Some(list) if list.ordered == item.ordered => list.items.push(item_node),
            _ => lists.push(List {
                ordered: item.ordered,
                items: vec![item_node],
            }),
        }
    }
    lists
}

/// The plain text of spans.
pub(crate) fn text_of(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Marks;

    pub(crate) fn inline(text: &str, bold: bool, italic: bool) -> Inline {
        Inline {
            text: text.to_string(),
            marks: Marks {
                bold,
                italic,
                provenance: None,
            },
        }
    }

    pub(crate) fn block(kind: BlockKind, text: &str) -> Block {
        Block {
            kind,
            inlines: vec![inline(text, false, false)],
        }
    }

    pub(crate) fn li(ordered: bool, depth: u8, text: &str) -> Block {
        block(BlockKind::ListItem { ordered, depth }, text)
    }

    fn shape(nodes: &[Node]) -> String {
        fn list(l: &List, out: &mut String) {
            out.push(if l.ordered { '(' } else { '[' });
            for it in &l.items {
                out.push_str(&text_of(&it.spans));
                for c in &it.children {
                    list(c, out);
                }
                out.push(' ');
            }
            out.push(if l.ordered { ')' } else { ']' });
        }
        let mut out = String::new();
        for n in nodes {
            match n {
                Node::List(l) => list(l, &mut out),
                Node::Paragraph(s) => out.push_str(&format!("p:{}", text_of(s))),
                Node::Heading { level, spans } => {
                    out.push_str(&format!("h{level}:{}", text_of(spans)))
                }
                Node::Quote(ps) => out.push_str(&format!("q{}", ps.len())),
            }
            out.push('|');
        }
        out
    }

    #[test]
    fn nesting_is_rebuilt_from_depth() {
        let doc = Blocks {
            blocks: vec![
                li(false, 0, "a"),
                li(false, 1, "a1"),
                li(false, 2, "a11"),
                li(false, 1, "a2"),
                li(false, 0, "b"),
                li(true, 0, "c"),
                li(true, 3, "c1"),
                li(false, 1, "c2"),
                block(BlockKind::Paragraph, "p"),
                li(true, 2, "d"),
            ],
        };
        assert_eq!(
            shape(&tree(&doc)),
            "[a[a1[a11 ] a2 ] b ]|(c(c1 )[c2 ] )|p:p|(d )|"
        );
    }

    #[test]
    fn quotes_group_and_headings_clamp() {
        let doc = Blocks {
            blocks: vec![
                block(BlockKind::Heading { level: 0 }, "x"),
                block(BlockKind::Heading { level: 9 }, "y"),
                block(BlockKind::Quote, "q1"),
                block(BlockKind::Quote, "q2"),
                block(BlockKind::Paragraph, ""),
                block(BlockKind::Quote, "q3"),
            ],
        };
        assert_eq!(shape(&tree(&doc)), "h1:x|h6:y|q2|p:|q1|");
    }

    #[test]
    fn spans_merge_and_drop_provenance() {
        let mut a = inline("Ab", true, false);
        a.marks.provenance = Some(crate::model::Provenance {
            committee: "SBU".into(),
            version: 1,
            block: 2,
        });
        let s = spans(&[
            a,
            inline("c", true, false),
            inline("", false, true),
            inline("d", false, false),
        ]);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "Abc");
        assert!(s[0].bold);
        assert_eq!(s[1].text, "d");
    }

    #[test]
    fn deep_input_does_not_overflow() {
        let blocks = (0..=255u8).map(|d| li(d % 2 == 0, d, "x")).collect();
        let nodes = tree(&Blocks { blocks });
        assert_eq!(nodes.len(), 1);
    }
}
