//! HTML of a document: the canonical HTML of the frozen record, and a standalone page.
//!
//! # The canonical form (`samskriv-html-1`)
//!
//! [`canonical`] is a pure function of the blocks' kinds, text and bold/italic marks; the
//! frozen record stores its bytes and their SHA-256 ([`sha256_hex`]). The same blocks give the
//! same bytes, and this form never changes: a new form gets a new [`CANONICAL_FORM`] name.
//!
//! - UTF-8, no byte order mark, no doctype, no `<html>`/`<body>`: an HTML fragment. Every
//!   element below ends with `\n`; there is no other whitespace between elements, no
//!   indentation, no attributes, and no comments.
//! - Text is [`sanitize`]d (CR LF and CR become LF; C0 controls other than tab and LF, DEL, C1
//!   controls, U+FFFE and U+FFFF are removed); no Unicode normalisation. `&` `<` `>` `"` `'`
//!   are written as `&amp;` `&lt;` `&gt;` `&quot;` `&#39;`; every other character as itself.
//!   A line feed (a hard break) is `<br>`.
//! - Inline runs with the same marks are merged and empty runs dropped; provenance is not
//!   part of the canonical form (the record keeps it in its block JSON). Bold is `<strong>`,
//!   italic `<em>`, `<em>` always inside `<strong>`; a `<strong>` stays open across runs that
//!   are all bold, an `<em>` across runs that are all italic with the same boldness.
//! - A heading is `<hN>…</hN>` with N clamped to 1–6; a paragraph `<p>…</p>` (an empty one is
//!   `<p></p>`); consecutive quote blocks are one `<blockquote>\n` with a `<p>…</p>\n` each,
//!   then `</blockquote>`.
//! - Consecutive list items are lists, nested from their depths: an item's depth is at most
//!   one more than the item before it (deeper is read as one more) and the first is at depth
//!   0; a change between ordered and bullet items at the same depth starts a sibling list.
//!   A list is `<ul>\n` or `<ol>\n`, its items, then `</ul>` or `</ol>`. An item is `<li>`, its
//!   text, and then either `</li>` or, when it has nested lists, `\n`, the lists, `</li>`.
//!
//! Example: a heading, a paragraph with a bold word and a break, and a nested list give
//!
//! ```text
//! <h1>Høringssvar</h1>
//! <p>Vi <strong>støtter</strong> planen.<br>Dog:</p>
//! <ul>
//! <li>a
//! <ol>
//! <li>b</li>
//! </ol>
//! </li>
//! </ul>
//! ```

use sha2::{Digest, Sha256};

use super::DocumentInfo;
use super::structure::{List, Node, Span, tree};
use crate::model::Blocks;

#[cfg(doc)]
use super::sanitize;

/// The name of the canonical form [`canonical`] writes; store it with a record's hash.
pub const CANONICAL_FORM: &str = "samskriv-html-1";

/// The canonical HTML of a document (see the module documentation for the exact form).
pub fn canonical(doc: &Blocks) -> String {
    let mut out = String::new();
    for node in tree(doc) {
        write_node(&node, &mut out);
    }
    out
}

/// The lowercase hex SHA-256 of some bytes, e.g. `sha256_hex(canonical(&doc).as_bytes())`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A standalone HTML page of a document (`lang="da"`, UTF-8, a small print-friendly
/// stylesheet): a header with the title and the metadata lines of `info` (committee, version,
/// who approved it and when, SHA-256), then the document.
///
/// The document is the canonical HTML byte for byte, between the lines `<main>\n` and
/// `</main>\n`, so the hash of a record can be checked from its page.
pub fn page(doc: &Blocks, info: &DocumentInfo) -> String {
    let title = escape(&super::sanitize(&info.title));
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"Samskriv\">\n");
    out.push_str(&format!("<title>{title}</title>\n"));
    out.push_str("<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<header class=\"dokument-hoved\">\n");
    out.push_str(&format!("<h1 class=\"dokument-titel\">{title}</h1>\n"));
    let lines = info.lines();
    if !lines.is_empty() {
        out.push_str("<dl class=\"metadata\">\n");
        for (label, value) in lines {
            let class = if label == "SHA-256" {
                " class=\"hash\""
            } else {
                ""
            };
            out.push_str(&format!(
                "<div><dt>{label}</dt><dd{class}>{}</dd></div>\n",
                escape(&value)
            ));
        }
        out.push_str("</dl>\n");
    }
    out.push_str("</header>\n<main>\n");
    out.push_str(&canonical(doc));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The stylesheet of the standalone pages (documents and minutes).
pub(crate) const STYLE: &str = "\
:root { color-scheme: light; }
body { font-family: \"Liberation Sans\", Arial, Helvetica, sans-serif; font-size: 11pt;
  line-height: 1.45; color: #111; max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.2em 0 0.4em; break-after: avoid; }
h1 { font-size: 1.6em; } h2 { font-size: 1.35em; } h3 { font-size: 1.15em; }
h4, h5, h6 { font-size: 1em; }
p { margin: 0 0 0.6em; orphans: 2; widows: 2; }
ul, ol { margin: 0 0 0.6em; padding-left: 1.6em; }
li > ul, li > ol { margin-bottom: 0; }
blockquote { margin: 0 0 0.6em; padding-left: 1em; border-left: 3px solid #999; color: #333; }
.dokument-hoved { border-bottom: 1px solid #999; margin-bottom: 1.5em; padding-bottom: 0.5em; }
.dokument-titel { margin-top: 0; }
.metadata { display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 1em;
  font-size: 0.9em; margin: 0; }
.metadata div { display: contents; }
.metadata dt { font-weight: bold; }
.metadata dd { margin: 0; }
.hash { font-family: \"Liberation Mono\", \"DejaVu Sans Mono\", monospace; word-break: break-all; }
.meta-top { text-align: right; font-size: 0.9em; margin: 0; }
.forside p { margin: 0.2em 0; }
.forside .art { font-size: 1.8em; font-weight: bold; margin-top: 1em; }
.indhold { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
.indhold th, .indhold td { text-align: left; vertical-align: top; padding: 0.25em 0.5em;
  border-bottom: 1px solid #ccc; }
.indhold th:first-child, .indhold td:first-child { width: 3em; }
.punkt { border-top: 1px solid #999; padding-top: 0.5em; margin-top: 2em; }
.sagsnr { font-size: 0.9em; color: #333; margin: 0; }
.punkt h2 { margin-top: 0.3em; }
.punkt h3 { font-size: 1.05em; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  .punkt { break-before: page; border-top: none; margin-top: 0; }
  .punkt:first-of-type { break-before: auto; }
  @page { size: A4; margin: 2cm 2cm 2.2cm 2.5cm; }
}
";

fn write_node(node: &Node, out: &mut String) {
    match node {
        Node::Heading { level, spans } => {
            out.push_str(&format!("<h{level}>"));
            write_spans(spans, out);
            out.push_str(&format!("</h{level}>\n"));
        }
        Node::Paragraph(spans) => {
            out.push_str("<p>");
            write_spans(spans, out);
            out.push_str("</p>\n");
        }
        Node::Quote(paragraphs) => {
            out.push_str("<blockquote>\n");
            for spans in paragraphs {
                out.push_str("<p>");
                write_spans(spans, out);
                out.push_str("</p>\n");
            }
            out.push_str("</blockquote>\n");
        }
        Node::List(list) => write_list(list, out),
    }
}

fn write_list(list: &List, out: &mut String) {
    let tag = if list.ordered { "ol" } else { "ul" };
    out.push_str(&format!("<{tag}>\n"));
    for item in &list.items {
        out.push_str("<li>");
        write_spans(&item.spans, out);
        if !item.children.is_empty() {
            out.push('\n');
            for child in &item.children {
                write_list(child, out);
            }
        }
        out.push_str("</li>\n");
    }
    out.push_str(&format!("</{tag}>\n"));
}

/// Spans as inline HTML: `<strong>` outside `<em>`, each kept open as long as it can be.
pub(crate) fn write_spans(spans: &[Span], out: &mut String) {
    let (mut bold, mut italic) = (false, false);
    for span in spans {
        if span.bold != bold {
            if italic {
                out.push_str("</em>");
                italic = false;
            }
            out.push_str(if span.bold { "<strong>" } else { "</strong>" });
            bold = span.bold;
        }
        if span.italic != italic {
            out.push_str(if span.italic { "<em>" } else { "</em>" });
            italic = span.italic;
        }
        for (i, line) in span.text.split('\n').enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            out.push_str(&escape(line));
        }
    }
    if italic {
        out.push_str("</em>");
    }
    if bold {
        out.push_str("</strong>");
    }
}

/// Text escaped for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::structure::tests::{block, inline, li};
    use crate::model::{Block, BlockKind};

    fn para(inlines: Vec<crate::model::Inline>) -> Block {
        Block {
            kind: BlockKind::Paragraph,
            inlines,
        }
    }

    #[test]
    fn escapes_text() {
        let doc = Blocks {
            blocks: vec![block(
                BlockKind::Paragraph,
                "<script>alert('x & \"y\"')</script> æøå",
            )],
        };
        assert_eq!(
            canonical(&doc),
            "<p>&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt; æøå</p>\n"
        );
    }

    #[test]
    fn the_documented_example() {
        let doc = Blocks {
            blocks: vec![
                block(BlockKind::Heading { level: 1 }, "Høringssvar"),
                para(vec![
                    inline("Vi ", false, false),
                    inline("støtter", true, false),
                    inline(" planen.\nDog:", false, false),
                ]),
                li(false, 0, "a"),
                li(true, 1, "b"),
            ],
        };
        assert_eq!(
            canonical(&doc),
            "<h1>Høringssvar</h1>\n<p>Vi <strong>støtter</strong> planen.<br>Dog:</p>\n\
             <ul>\n<li>a\n<ol>\n<li>b</li>\n</ol>\n</li>\n</ul>\n"
        );
    }

    #[test]
    fn marks_nest_strong_outside_em() {
        let doc = Blocks {
            blocks: vec![para(vec![
                inline("a", true, false),
                inline("b", true, true),
                inline("c", false, true),
                inline("d", false, false),
                inline("e", true, true),
            ])],
        };
        assert_eq!(
            canonical(&doc),
            "<p><strong>a<em>b</em></strong><em>c</em>d<strong><em>e</em></strong></p>\n"
        );
    }

    #[test]
    fn nested_lists_quotes_and_kinds() {
        let doc = Blocks {
            blocks: vec![
                li(true, 0, "1"),
                li(true, 1, "1.1"),
                li(false, 1, "•"),
                li(true, 0, "2"),
                li(false, 0, "x"),
                block(BlockKind::Quote, "q1"),
                block(BlockKind::Quote, "q2"),
                block(BlockKind::Paragraph, ""),
            ],
        };
        assert_eq!(
            canonical(&doc),
            "<ol>\n<li>1\n<ol>\n<li>1.1</li>\n</ol>\n<ul>\n<li>•</li>\n</ul>\n</li>\n<li>2</li>\n</ol>\n\
             <ul>\n<li>x</li>\n</ul>\n<blockquote>\n<p>q1</p>\n<p>q2</p>\n</blockquote>\n<p></p>\n"
        );
    }

    #[test]
    fn deterministic_and_independent_of_run_splits_and_provenance() {
        let a = Blocks {
            blocks: vec![para(vec![inline("Hej verden", false, false)])],
        };
        let mut split = para(vec![
            inline("Hej ", false, false),
            inline("verden", false, false),
        ]);
        split.inlines[1].marks.provenance = Some(crate::model::Provenance {
            committee: "SVO".into(),
            version: 2,
            block: 0,
        });
        let b = Blocks {
            blocks: vec![split],
        };
        assert_eq!(canonical(&a), canonical(&b));
        assert_eq!(canonical(&a), canonical(&a.clone()));
        assert_eq!(
            sha256_hex(canonical(&a).as_bytes()),
            sha256_hex(b"<p>Hej verden</p>\n")
        );
        // A change of one character changes the hash.
        let c = Blocks {
            blocks: vec![para(vec![inline("Hej verdén", false, false)])],
        };
        assert_ne!(
            sha256_hex(canonical(&a).as_bytes()),
            sha256_hex(canonical(&c).as_bytes())
        );
    }

    #[test]
    fn known_hash() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(canonical(&Blocks::default()), "");
    }

    #[test]
    fn page_embeds_canonical_and_escapes_metadata() {
        let doc = Blocks {
            blocks: vec![block(BlockKind::Paragraph, "Tekst")],
        };
        let info = DocumentInfo {
            title: "Svar <til> \"plan\"".into(),
            committee: Some("HMU & LMU".into()),
            approved_by: vec!["Ann-Britt Wetche".into()],
            approved_at: Some("2. oktober 2023".into()),
            sha256: Some(sha256_hex(canonical(&doc).as_bytes())),
            ..Default::default()
        };
        let page = page(&doc, &info);
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"da\">"));
        assert!(page.contains("<title>Svar &lt;til&gt; &quot;plan&quot;</title>"));
        assert!(page.contains("<dt>Udvalg</dt><dd>HMU &amp; LMU</dd>"));
        assert!(page.contains("<dt>Godkendt af</dt><dd>Ann-Britt Wetche</dd>"));
        let main = page
            .split_once("<main>\n")
            .and_then(|(_, rest)| rest.split_once("</main>\n"))
            .map(|(m, _)| m);
        assert_eq!(main, Some(canonical(&doc).as_str()));
        assert!(page.contains(&sha256_hex(main.unwrap_or("").as_bytes())));
    }
}
