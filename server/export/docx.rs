//! DOCX (Word) of a document, written with docx-rs.
//!
//! The document uses Word's built-in style names, so Word and LibreOffice treat it as a real
//! structured document: the title is "Title", headings are "heading 1"…"heading 6" (with
//! outline levels: the navigation pane and a table of contents pick them up), quotes are
//! "Quote", list items "List Paragraph". Lists are real numbering definitions: one abstract
//! definition for bullets and one for numbers (`1.`, `1.1`-style nesting by indent, nine
//! levels), and one numbering instance per list, so every ordered list starts at 1 and nested
//! lists continue their parent's numbering correctly. Lists deeper than nine levels are kept at
//! the ninth. Hard breaks are line breaks, tabs are tabs. Every page has "Side X af Y" in its
//! footer. Text is sanitised (no control characters, which XML does not allow).

use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, FieldCharType, Footer, IndentLevel,
    InstrNUMPAGES, InstrPAGE, InstrText, Level, LevelJc, LevelOverride, LevelText, LineSpacing,
    LineSpacingType, NumberFormat, Numbering, NumberingId, PageMargin, Paragraph, Run, RunFonts,
    SpecialIndentType, Start, Style, StyleType,
};

use super::structure::{List, Node, Span, tree};
use super::{DocumentInfo, ExportError};
use crate::model::Blocks;

// docx-rs always writes its own abstract numbering 1 and numbering instance 1.
const BULLETS: usize = 10;
const NUMBERS: usize = 11;
const FIRST_NUM: usize = 10;
const MAX_LEVEL: usize = 8;

/// The DOCX of a document with its title and metadata (`info`) at the top.
pub fn document(doc: &Blocks, info: &DocumentInfo) -> Result<Vec<u8>, ExportError> {
    let mut docx = base(&info.title);
    docx = docx.add_paragraph(
        Paragraph::new()
            .style("Title")
            .add_run(Run::new().add_text(super::sanitize(info.title.trim()))),
    );
    for (label, value) in info.lines() {
        docx = docx.add_paragraph(
            Paragraph::new()
                .style("Metadata")
                .add_run(Run::new().add_text(format!("{label}: ")).bold())
                .add_run(Run::new().add_text(value)),
        );
    }
    if !info.lines().is_empty() {
        docx = docx.add_paragraph(Paragraph::new());
    }
    let mut writer = Writer {
        docx,
        next_num: FIRST_NUM,
    };
    for node in tree(doc) {
        writer.node(&node);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    writer
        .docx
        .build()
        .pack(&mut out)
        .map_err(|e| ExportError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

struct Writer {
    docx: Docx,
    next_num: usize,
}

impl Writer {
    fn add(&mut self, p: Paragraph) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(p);
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Heading { level, spans } => {
                let style = format!("Heading{}", level.clamp(&1, &6));
                self.add(runs(Paragraph::new().style(&style), spans));
            }
            Node::Paragraph(spans) => self.add(runs(Paragraph::new(), spans)),
            Node::Quote(paragraphs) => {
                for spans in paragraphs {
                    self.add(runs(Paragraph::new().style("Quote"), spans));
                }
            }
            Node::List(list) => self.list(list, 0),
        }
    }

    fn list(&mut self, list: &List, depth: usize) {
        let level = depth.min(MAX_LEVEL);
        let num = self.next_num;
        self.next_num += 1;
        let abstract_id = if list.ordered { NUMBERS } else { BULLETS };
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_numbering(
            Numbering::new(num, abstract_id).add_override(LevelOverride::new(level).start(1)),
        );
        for item in &list.items {
            let p = Paragraph::new()
                .style("ListParagraph")
                .numbering(NumberingId::new(num), IndentLevel::new(level));
            self.add(runs(p, &item.spans));
            for child in &item.children {
                self.list(child, depth + 1);
            }
        }
    }
}

/// The spans as runs of `p`: bold, italic, line breaks for hard breaks, tabs.
fn runs(mut p: Paragraph, spans: &[Span]) -> Paragraph {
    for span in spans {
        let mut run = Run::new();
        for (i, line) in span.text.split('\n').enumerate() {
            if i > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            for (j, part) in line.split('\t').enumerate() {
                if j > 0 {
                    run = run.add_tab();
                }
                if !part.is_empty() {
                    run = run.add_text(part);
                }
            }
        }
        if span.bold {
            run = run.bold();
        }
        if span.italic {
            run = run.italic();
        }
        p = p.add_run(run);
    }
    p
}

/// A document with the styles, numbering definitions, A4 page and footer every export uses.
fn base(title: &str) -> Docx {
    let mut docx = Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1418)
                .right(1134)
                .header(567)
                .footer(567),
        )
        .default_fonts(
            RunFonts::new()
                .ascii("Liberation Sans")
                .hi_ansi("Liberation Sans")
                .cs("Liberation Sans"),
        )
        .default_size(21)
        .default_line_spacing(
            LineSpacing::new()
                .after(120)
                .line(264)
                .line_rule(LineSpacingType::Auto),
        )
        .custom_property("Samskriv", "1");
    docx = docx
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .next("Normal")
                .q_format(true)
                .size(36)
                .bold(),
        )
        .add_style(
            Style::new("Metadata", StyleType::Paragraph)
                .name("Samskriv Metadata")
                .based_on("Normal")
                .size(18)
                .line_spacing(LineSpacing::new().after(0)),
        );
    for level in 1..=6usize {
        let size = [32, 28, 25, 23, 22, 22][level - 1];
        let mut style = Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .size(size)
            .bold()
            .outline_lvl(level - 1)
            .line_spacing(LineSpacing::new().before(240).after(80));
        if level == 6 {
            style = style.italic();
        }
        docx = docx.add_style(style);
    }
    docx = docx
        .add_style(
            Style::new("Quote", StyleType::Paragraph)
                .name("Quote")
                .based_on("Normal")
                .next("Normal")
                .q_format(true)
                .italic()
                .color("404040")
                .indent(Some(567), None, Some(567), None),
        )
        .add_style(
            Style::new("ListParagraph", StyleType::Paragraph)
                .name("List Paragraph")
                .based_on("Normal")
                .q_format(true)
                .line_spacing(LineSpacing::new().after(40)),
        );
    docx = docx.add_style(
        Style::new("Footer", StyleType::Paragraph)
            .name("footer")
            .based_on("Normal")
            .size(17)
            .color("595959"),
    );
    let bullet_chars = ["•", "◦", "▪"];
    let mut bullets = AbstractNumbering::new(BULLETS);
    let mut numbers = AbstractNumbering::new(NUMBERS);
    for level in 0..=MAX_LEVEL {
        let left = 360 * (level as i32 + 1) + 360;
        bullets = bullets.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new(bullet_chars[level % 3]),
                LevelJc::new("left"),
            )
            .indent(
                Some(left),
                Some(SpecialIndentType::Hanging(360)),
                None,
                None,
            ),
        );
        numbers = numbers.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new("decimal"),
                LevelText::new(format!("%{}.", level + 1)),
                LevelJc::new("left"),
            )
            .indent(
                Some(left),
                Some(SpecialIndentType::Hanging(360)),
                None,
                None,
            ),
        );
    }
    docx = docx
        .add_abstract_numbering(bullets)
        .add_abstract_numbering(numbers);
    let footer_text = super::sanitize(title.trim());
    let field = |run: Run, instr: InstrText| {
        run.add_field_char(FieldCharType::Begin, false)
            .add_instr_text(instr)
            .add_field_char(FieldCharType::Separate, false)
            .add_text("1")
            .add_field_char(FieldCharType::End, false)
    };
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .style("Footer")
            .align(AlignmentType::Right)
            .add_run(Run::new().add_text(format!("{footer_text} · Side ")))
            .add_run(field(Run::new(), InstrText::PAGE(InstrPAGE {})))
            .add_run(Run::new().add_text(" af "))
            .add_run(field(Run::new(), InstrText::NUMPAGES(InstrNUMPAGES {}))),
    );
    docx.footer(footer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::structure::tests::{block, li};
    use crate::model::BlockKind;

    /// The XML of one part of the package.
    fn part(docx: &[u8], name: &str) -> String {
        use std::io::Read;
        let mut zip = match zip::ZipArchive::new(std::io::Cursor::new(docx)) {
            Ok(z) => z,
            Err(e) => panic!("not a zip: {e}"),
        };
        let mut s = String::new();
        match zip.by_name(name) {
            Ok(mut f) => {
                let _ = f.read_to_string(&mut s);
            }
            Err(e) => panic!("no {name}: {e}"),
        }
        s
    }

    #[test]
    fn styles_numbering_and_escaping() {
        let doc = Blocks {
            blocks: vec![
                block(BlockKind::Heading { level: 2 }, "Overskrift æøå"),
                block(BlockKind::Paragraph, "a < b & \"c\"\u{1}"),
                li(true, 0, "et"),
                li(true, 1, "under"),
                li(false, 0, "punkt"),
                li(true, 0, "to"),
            ],
        };
        let bytes = document(&doc, &DocumentInfo::default()).unwrap_or_default();
        let xml = part(&bytes, "word/document.xml");
        assert!(
            xml.contains("<w:pStyle w:val=\"Heading2\" />") || xml.contains("w:val=\"Heading2\"")
        );
        assert!(xml.contains("Overskrift æøå"));
        assert!(xml.contains("a &lt; b &amp; "), "{xml}");
        assert!(!xml.contains('\u{1}'));
        // Four lists: each its own numbering instance.
        let numbering = part(&bytes, "word/numbering.xml");
        for id in FIRST_NUM..FIRST_NUM + 4 {
            assert!(
                numbering.contains(&format!("w:numId=\"{id}\"")),
                "{numbering}"
            );
        }
        let styles = part(&bytes, "word/styles.xml");
        assert!(styles.contains("heading 2"));
        assert!(styles.contains("w:outlineLvl w:val=\"1\""), "{styles}");
    }
}
