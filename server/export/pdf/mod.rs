//! PDF of a document: A4, a header with the title and the metadata lines, headings,
//! paragraphs with word wrap (justified if asked), bullet and numbered lists with nesting,
//! quotes with a bar, bold and italic, "Side X af Y" on every page, and an outline of the
//! headings.
//!
//! The fonts are Liberation Sans (assets/fonts/), compiled into the binary and embedded as
//! subsets with a ToUnicode map by krilla, so that æ ø å and all other text extract exactly
//! (pdftotext gives the text back). Each character is drawn as its own glyph: no ligatures,
//! no kerning. A character the font lacks is drawn as the font's "missing" box but still
//! extracts as itself.

mod fonts;
pub(crate) mod layout;

use self::fonts::Fonts;
pub(crate) use self::fonts::Style;
use self::layout::{Align, Layout, Para, Role, Run, runs};
use super::structure::{List, Node, tree};
use super::{DocumentInfo, ExportError};
use crate::model::Blocks;

/// Options of the document PDF.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PdfOptions {
    /// Justify paragraphs, list items and quotes (the last line of each stays ragged).
    pub justify: bool,
}

/// The PDF of a document, with its title and metadata (`info`) as header, left-aligned.
pub fn document(doc: &Blocks, info: &DocumentInfo) -> Result<Vec<u8>, ExportError> {
    document_with(doc, info, PdfOptions::default())
}

/// [`document`] with options.
pub fn document_with(
    doc: &Blocks,
    info: &DocumentInfo,
    options: PdfOptions,
) -> Result<Vec<u8>, ExportError> {
    let fonts = fonts_or_error()?;
    let mut layout = Layout::new(fonts);
    let title = super::sanitize(info.title.trim());
    let at = layout.paragraph(
        &[Run::new(title.clone(), Style::BOLD)],
        &Para {
            space_after: 8.0,
            role: Role::Heading(1),
            ..Para::heading(19.0)
        },
        None,
    );
    layout.add_outline(0, &title, at);
    for (label, value) in info.lines() {
        layout.paragraph(
            &[
                Run::new(format!("{label}: "), Style::BOLD),
                Run::new(value, Style::REGULAR),
            ],
            &Para {
                space_after: 1.0,
                ..Para::body(9.5)
            },
            None,
        );
    }
    layout.rule(0.8, 120, 6.0, 14.0);
    let body = Body {
        justify: options.justify,
        heading_shift: 0,
        outline_shift: 1,
    };
    render_nodes(&mut layout, &tree(doc), &body);
    let footer_title = title.clone();
    layout.finish(&title, &move |page, pages| {
        vec![
            (footer_title.clone(), Align::Left),
            (format!("Side {page} af {pages}"), Align::Right),
        ]
    })
}

pub(crate) fn fonts_or_error() -> Result<&'static Fonts, ExportError> {
    Fonts::get().ok_or_else(|| ExportError::Pdf("embedded fonts unreadable".into()))
}

/// How document content is set inside a PDF.
pub(crate) struct Body {
    pub justify: bool,
    /// Added to heading levels (content nested under the minutes' own headings).
    pub heading_shift: u8,
    /// Added to heading levels in the outline.
    pub outline_shift: u8,
}

const BODY_SIZE: f32 = 10.5;
const LIST_INDENT: f32 = 18.0;
const MAX_VISUAL_DEPTH: usize = 8;

pub(crate) fn body_para(body: &Body) -> Para {
    Para {
        align: if body.justify {
            Align::Justify
        } else {
            Align::Left
        },
        ..Para::body(BODY_SIZE)
    }
}

pub(crate) fn heading_para(level: u8) -> Para {
    let size = match level {
        1 => 16.0,
        2 => 14.0,
        3 => 12.0,
        4 => 11.5,
        _ => 11.0,
    };
    Para::heading(size)
}

/// Lays out a document tree.
pub(crate) fn render_nodes(layout: &mut Layout, nodes: &[Node], body: &Body) {
    for node in nodes {
        match node {
            Node::Heading { level, spans } => {
                let level = level.saturating_add(body.heading_shift).min(6);
                let mut p = heading_para(level);
                p.role = Role::Heading(level.saturating_add(body.outline_shift));
                if level >= 6 {
                    p.force = Some(Style {
                        bold: true,
                        italic: true,
                    });
                }
                let at = layout.paragraph(&runs(spans), &p, None);
                let title = super::structure::text_of(spans).replace('\n', " ");
                if !title.trim().is_empty() {
                    layout.add_outline(level.saturating_add(body.outline_shift), &title, at);
                }
            }
            Node::Paragraph(spans) => {
                layout.paragraph(&runs(spans), &body_para(body), None);
            }
            Node::Quote(paragraphs) => {
                layout.space(2.0);
                layout.open(Role::Quote);
                for spans in paragraphs {
                    let p = Para {
                        indent: LIST_INDENT,
                        bar: true,
                        gray: 40,
                        space_after: 4.0,
                        ..body_para(body)
                    };
                    layout.paragraph(&runs(spans), &p, None);
                }
                layout.close();
                layout.space(8.0);
            }
            Node::List(list) => {
                render_list(layout, list, 0, body);
                layout.space(6.0);
            }
        }
    }
}

fn render_list(layout: &mut Layout, list: &List, depth: usize, body: &Body) {
    let indent = LIST_INDENT * (depth.min(MAX_VISUAL_DEPTH) + 1) as f32;
    // Deeper lists are drawn at the deepest indent and tagged flat, inside the last item.
    let structured = depth <= MAX_VISUAL_DEPTH;
    if structured {
        layout.open(Role::List {
            ordered: list.ordered,
        });
    }
    for (n, item) in list.items.iter().enumerate() {
        let marker = if list.ordered {
            Run::new(format!("{}.", n + 1), Style::REGULAR)
        } else {
            Run::new(bullet(layout, depth), Style::REGULAR)
        };
        let p = Para {
            indent,
            space_after: 2.5,
            ..body_para(body)
        };
        if structured {
            layout.open(Role::Item);
            layout.open(Role::Body);
        }
        layout.paragraph(&runs(&item.spans), &p, Some(&marker));
        for child in &item.children {
            render_list(layout, child, depth + 1, body);
        }
        if structured {
            layout.close();
            layout.close();
        }
    }
    if structured {
        layout.close();
    }
}

/// The bullet of a list depth, falling back to what the font has.
pub(crate) fn bullet(layout: &Layout, depth: usize) -> String {
    let face = layout.fonts().face(Style::REGULAR);
    let wanted = ['•', '–', '◦'][depth % 3];
    [wanted, '•', '-']
        .into_iter()
        .find(|c| face.has(*c))
        .unwrap_or('-')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::structure::tests::{block, li};
    use crate::model::BlockKind;

    #[test]
    fn writes_a_pdf_for_awkward_input() {
        let long_word = "x".repeat(400);
        let doc = Blocks {
            blocks: vec![
                block(BlockKind::Heading { level: 0 }, ""),
                block(BlockKind::Paragraph, &long_word),
                block(BlockKind::Paragraph, "\n\n\u{1F600} 中文 \u{0} \r\n"),
                li(true, 200, "dyb"),
                block(BlockKind::Quote, ""),
            ],
        };
        let pdf = document_with(&doc, &DocumentInfo::default(), PdfOptions { justify: true });
        let pdf = pdf.unwrap_or_default();
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn long_documents_get_more_pages() {
        let blocks = (0..400)
            .map(|i| block(BlockKind::Paragraph, &format!("Afsnit {i} med lidt tekst.")))
            .collect();
        let doc = Blocks { blocks };
        let Some(fonts) = Fonts::get() else {
            panic!("embedded fonts unreadable")
        };
        let mut layout = Layout::new(fonts);
        let body = Body {
            justify: false,
            heading_shift: 0,
            outline_shift: 0,
        };
        render_nodes(&mut layout, &tree(&doc), &body);
        // 400 paragraphs of 14 + 6 pt on pages of 710 pt: 35 a page, twelve pages.
        assert!(
            (11..=13).contains(&layout.page_count()),
            "{}",
            layout.page_count()
        );
    }
}
