//! Markdown (CommonMark) of a document.
//!
//! Headings are ATX (`#`…`######`), bold `**…**`, italic `*…*`, hard breaks a backslash at the
//! end of the line, bullet items `-`, ordered items `1.` `2.` … numbered per list, nested lists
//! indented under their item's text, quotes `> `. Blocks are separated by a blank line; empty
//! paragraphs are left out (Markdown has none).
//!
//! Text is escaped so that it stays text: `\` `` ` `` `*` `_` `[` `]` `<` `>` `|` `~` always, `&`
//! before a letter, digit or `#`, and at the start of a line `#` `+` `-` `=` and the `.` or `)`
//! after a number. Leading spaces of a line are dropped (Markdown would make them code), and a
//! heading's hard breaks become spaces. Whitespace at the edge of a bold or italic run is moved
//! outside the markers, which CommonMark requires. One known limit: an italic run directly
//! followed by a bold one inside a word (`*a***b**`) is ambiguous in CommonMark.

use super::DocumentInfo;
use super::structure::{List, Node, Span, plain, tree};
use crate::model::Blocks;

/// A document with its header: the title as a level-1 heading, the metadata lines of `info`
/// (committee, version, who approved it and when, SHA-256) with bold labels, a thematic
/// break, then [`markdown`] of the document.
pub fn document(doc: &Blocks, info: &DocumentInfo) -> String {
    let title = inline(&plain(info.title.trim()), true);
    let mut out = format!(
        "# {}\n\n",
        if title.is_empty() { "Dokument" } else { &title }
    );
    let lines = info.lines();
    if !lines.is_empty() {
        let lines: Vec<String> = lines
            .iter()
            .map(|(label, value)| format!("**{label}:** {}", inline(&plain(value), true)))
            .collect();
        out.push_str(&lines.join("\\\n"));
        out.push_str("\n\n");
    }
    out.push_str("---\n\n");
    out.push_str(&markdown(doc));
    out
}

/// The Markdown of a document, ending with a line feed (empty for an empty document).
pub fn markdown(doc: &Blocks) -> String {
    let mut chunks: Vec<String> = Vec::new();
    for node in tree(doc) {
        match node {
            Node::Heading { level, spans } => {
                let text = inline(&spans, true);
                chunks.push(format!("{} {}", "#".repeat(usize::from(level)), text));
            }
            Node::Paragraph(spans) => {
                let text = inline(&spans, false);
                if !text.trim().is_empty() {
                    chunks.push(text);
                }
            }
            Node::Quote(paragraphs) => {
                let quoted: Vec<String> = paragraphs
                    .iter()
                    .map(|p| inline(p, false))
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| prefix_lines(&t, "> ", "> "))
                    .collect();
                if !quoted.is_empty() {
                    chunks.push(quoted.join("\n>\n"));
                }
            }
            Node::List(list) => {
                let mut out = String::new();
                write_list(&list, "", &mut out);
                chunks.push(out.trim_end_matches('\n').to_string());
            }
        }
    }
    if chunks.is_empty() {
        return String::new();
    }
    let mut out = chunks.join("\n\n");
    out.push('\n');
    out
}

fn write_list(list: &List, indent: &str, out: &mut String) {
    for (n, item) in list.items.iter().enumerate() {
        let marker = if list.ordered {
            format!("{}. ", n + 1)
        } else {
            "- ".to_string()
        };
        let inner = format!("{indent}{}", " ".repeat(marker.len()));
        let text = inline(&item.spans, false);
        out.push_str(&prefix_lines(&text, &format!("{indent}{marker}"), &inner));
        out.push('\n');
        for child in &item.children {
            write_list(child, &inner, out);
        }
    }
}

/// `text` with `first` before its first line and `rest` before every other line.
fn prefix_lines(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(rest);
        } else {
            out.push_str(first);
        }
        out.push_str(line);
    }
    out.trim_end().to_string()
}

/// Spans as Markdown inline text; hard breaks become `\` + line feed, or a space in headings.
fn inline(spans: &[Span], heading: bool) -> String {
    let mut w = Writer {
        out: String::new(),
        line_start: true,
    };
    let (mut bold, mut italic) = (false, false);
    for span in normalise_edges(spans) {
        if span.bold != bold {
            if italic {
                w.delimiter("*");
                italic = false;
            }
            w.delimiter("**");
            bold = span.bold;
        }
        if span.italic != italic {
            w.delimiter("*");
            italic = span.italic;
        }
        for (i, line) in span.text.split('\n').enumerate() {
            if i > 0 {
                if heading {
                    w.text(" ");
                } else {
                    // A hard break cannot end the text: trailing ones are dropped below.
                    w.out.push_str("\\\n");
                    w.line_start = true;
                }
            }
            w.text(line);
        }
    }
    if italic {
        w.delimiter("*");
    }
    if bold {
        w.delimiter("**");
    }
    let mut out = w.out;
    while out.ends_with("\\\n") || out.ends_with(' ') || out.ends_with('\t') {
        if out.ends_with("\\\n") {
            out.truncate(out.len() - 2);
        } else {
            out.pop();
        }
    }
    out
}

struct Writer {
    out: String,
    line_start: bool,
}

impl Writer {
    fn delimiter(&mut self, d: &str) {
        self.out.push_str(d);
        self.line_start = false;
    }

    fn text(&mut self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            if self.line_start {
                if c == ' ' || c == '\t' {
                    i += 1;
                    continue;
                }
                self.line_start = false;
                if matches!(c, '#' | '+' | '-' | '=') {
                    self.out.push('\\');
                } else if c.is_ascii_digit() {
                    let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                    if matches!(chars.get(i + digits), Some('.' | ')')) {
                        self.out.extend(&chars[i..i + digits]);
                        self.out.push('\\');
                        i += digits;
                        continue;
                    }
                }
            }
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                    self.out.push('\\');
                }
                '&' if chars
                    .get(i + 1)
                    .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
                {
                    self.out.push('\\');
                }
                _ => {}
            }
            self.out.push(c);
            i += 1;
        }
    }
}

/// Spans whose leading and trailing whitespace carries only the marks it shares with its
/// neighbour, so that no `*` touches whitespace on its inner side.
fn normalise_edges(spans: &[Span]) -> Vec<Span> {
    let mut pieces: Vec<Span> = Vec::new();
    for (i, span) in spans.iter().enumerate() {
        if !span.bold && !span.italic {
            pieces.push(span.clone());
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| spans.get(p));
        let next = spans.get(i + 1);
        let body = span.text.trim_matches(char::is_whitespace);
        let lead = &span.text[..span.text.len() - span.text.trim_start().len()];
        let trail_start = lead.len() + body.len();
        let trail = span.text.get(trail_start..).unwrap_or("");
        let shared = |other: Option<&Span>| {
            other.map_or((false, false), |o| {
                (o.bold && span.bold, o.italic && span.italic)
            })
        };
        if body.is_empty() {
            let (b1, i1) = shared(prev);
            let (b2, i2) = shared(next);
            pieces.push(Span {
                text: span.text.clone(),
                bold: b1 && b2,
                italic: i1 && i2,
            });
            continue;
        }
        if !lead.is_empty() {
            let (bold, italic) = shared(prev);
            pieces.push(Span {
                text: lead.to_string(),
                bold,
                italic,
            });
        }
        pieces.push(Span {
            text: body.to_string(),
            bold: span.bold,
            italic: span.italic,
        });
        if !trail.is_empty() {
            let (bold, italic) = shared(next);
            pieces.push(Span {
                text: trail.to_string(),
                bold,
                italic,
            });
        }
    }
    let mut merged: Vec<Span> = Vec::new();
    for p in pieces {
        match merged.last_mut() {
            Some(last) if last.bold == p.bold && last.italic == p.italic => {
                last.text.push_str(&p.text)
            }
            _ => merged.push(p),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::structure::tests::{block, inline, li};
    use crate::model::{Block, BlockKind};
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    fn para(inlines: Vec<crate::model::Inline>) -> Block {
        Block {
            kind: BlockKind::Paragraph,
            inlines,
        }
    }

    /// The Markdown parsed back by a CommonMark parser, as a compact trace of its events.
    fn parsed(md: &str) -> String {
        let mut out = String::new();
        for event in Parser::new(md) {
            match event {
                Event::Start(Tag::Heading { level, .. }) => out.push_str(&format!("<{level}>")),
                Event::End(TagEnd::Heading(_)) => out.push_str("</h>"),
                Event::Start(Tag::Paragraph) => out.push_str("<p>"),
                Event::End(TagEnd::Paragraph) => out.push_str("</p>"),
                Event::Start(Tag::Strong) => out.push_str("<b>"),
                Event::End(TagEnd::Strong) => out.push_str("</b>"),
                Event::Start(Tag::Emphasis) => out.push_str("<i>"),
                Event::End(TagEnd::Emphasis) => out.push_str("</i>"),
                Event::Start(Tag::List(Some(n))) => out.push_str(&format!("<ol{n}>")),
                Event::Start(Tag::List(None)) => out.push_str("<ul>"),
                Event::End(TagEnd::List(_)) => out.push_str("</l>"),
                Event::Start(Tag::Item) => out.push_str("<li>"),
                Event::End(TagEnd::Item) => out.push_str("</li>"),
                Event::Start(Tag::BlockQuote(_)) => out.push_str("<q>"),
                Event::End(TagEnd::BlockQuote(_)) => out.push_str("</q>"),
                Event::Text(t) => out.push_str(&t),
                Event::HardBreak => out.push_str("<br>"),
                Event::SoftBreak => out.push_str("<soft>"),
                other => out.push_str(&format!("{other:?}")),
            }
        }
        out
    }

    #[test]
    fn special_characters_stay_text() {
        let text = "# 1. *ikke* _fed_ [link](x) <b> a|b ~s~ \\ `k` &amp; 5 > 3 - + = æøå";
        let doc = Blocks {
            blocks: vec![block(BlockKind::Paragraph, text)],
        };
        let md = markdown(&doc);
        assert_eq!(parsed(&md), format!("<p>{text}</p>"), "markdown was {md:?}");
        // Each line start that would make a block.
        for start in [
            "# x", "- x", "+ x", "1. x", "2) x", "> x", "=", "---", "    kode",
        ] {
            let doc = Blocks {
                blocks: vec![block(BlockKind::Paragraph, &format!("a\n{start}"))],
            };
            let md = markdown(&doc);
            assert_eq!(
                parsed(&md),
                format!("<p>a<br>{}</p>", start.trim_start()),
                "markdown was {md:?}"
            );
        }
    }

    #[test]
    fn headings_marks_and_breaks() {
        let doc = Blocks {
            blocks: vec![
                block(BlockKind::Heading { level: 2 }, "Høring\nsvar"),
                para(vec![
                    inline("Vi ", false, false),
                    inline("støtter ", true, false),
                    inline("klart", true, true),
                    inline(" planen", false, false),
                    inline(" med ", false, true),
                    inline("forbehold.\nDog", false, false),
                ]),
                para(vec![]),
                block(BlockKind::Heading { level: 9 }, "Sidst"),
            ],
        };
        let md = markdown(&doc);
        assert_eq!(
            md,
            "## Høring svar\n\nVi **støtter *klart*** planen *med* forbehold.\\\nDog\n\n###### Sidst\n"
        );
        assert_eq!(
            parsed(&md),
            "<h2>Høring svar</h><p>Vi <b>støtter <i>klart</i></b> planen <i>med</i> forbehold.<br>Dog</p><h6>Sidst</h>"
        );
    }

    #[test]
    fn nested_lists_and_quotes() {
        let doc = Blocks {
            blocks: vec![
                li(true, 0, "første"),
                li(false, 1, "under"),
                li(true, 2, "dybt"),
                li(true, 2, "dybt 2"),
                li(true, 0, "anden"),
                li(false, 0, "punkt\nmed brud"),
                block(BlockKind::Quote, "citat 1"),
                block(BlockKind::Quote, "citat 2"),
                block(BlockKind::Paragraph, "slut"),
            ],
        };
        let md = markdown(&doc);
        assert_eq!(
            md,
            "1. første\n   - under\n     1. dybt\n     2. dybt 2\n2. anden\n\n- punkt\\\n  med brud\n\n\
             > citat 1\n>\n> citat 2\n\nslut\n"
        );
        assert_eq!(
            parsed(&md),
            "<ol1><li>første<ul><li>under<ol1><li>dybt</li><li>dybt 2</li></l></li></l></li>\
             <li>anden</li></l><ul><li>punkt<br>med brud</li></l><q><p>citat 1</p><p>citat 2</p></q><p>slut</p>"
        );
    }

    #[test]
    fn document_header() {
        let doc = Blocks {
            blocks: vec![block(BlockKind::Paragraph, "Tekst")],
        };
        let info = DocumentInfo {
            title: "Svar *til* plan".into(),
            committee: Some("HMU_Social".into()),
            approved_by: vec!["A".into(), "B".into()],
            ..Default::default()
        };
        let md = document(&doc, &info);
        assert_eq!(
            md,
            "# Svar \\*til\\* plan\n\n**Udvalg:** HMU\\_Social\\\n**Godkendt af:** A, B\n\n---\n\nTekst\n"
        );
        assert_eq!(
            parsed(&md),
            "<h1>Svar *til* plan</h><p><b>Udvalg:</b> HMU_Social<br><b>Godkendt af:</b> A, B</p>Rule<p>Tekst</p>"
        );
    }

    #[test]
    fn empty_document() {
        assert_eq!(markdown(&Blocks::default()), "");
    }
}
