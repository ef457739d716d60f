//! Exports of a document (a version of a response, or the frozen record) and of a meeting's
//! agenda and minutes.
//!
//! Every export works on the document model ([`crate::model::Blocks`]) and is a pure function
//! of its input: no I/O, no fonts from the machine, no panics on any input.
//!
//! - [`html`]: the canonical HTML of the frozen record (hashed with SHA-256) and a standalone,
//!   print-friendly HTML page.
//! - [`markdown`][]: CommonMark.
//! - [`pdf`]: A4 PDF with embedded, subsetted Liberation Sans (text extracts right, æ ø å too).
//! - [`docx`]: Word documents with real heading styles and real numbered and bulleted lists.
//! - [`minutes`]: a meeting's agenda (dagsorden) or minutes (referat) in the layout of the
//!   region's own, as a standalone HTML page and as PDF.
//!
//! What a reader sees (labels, headings) is Danish; the crates chosen and why are in
//! docs/exports.md.

pub mod docx;
pub mod html;
pub mod markdown;
pub mod minutes;
pub mod pdf;
pub mod sample;

mod structure;

use serde::{Deserialize, Serialize};

/// What an exported document's header says about it. Only the title is required; every other
/// line is left out when it is `None` or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    /// The title: usually the hearing's title, e.g. "Høringssvar til Visions- og
    /// Udviklingsplan for Socialområdet".
    pub title: String,
    /// The committee whose text it is, e.g. "HMU Socialområdet" or "LMU SBU".
    #[serde(default)]
    pub committee: Option<String>,
    /// Which version this is, as the reader should see it, e.g. "Version 3 (udkast)" or
    /// "Endelig version".
    #[serde(default)]
    pub version: Option<String>,
    /// Who approved it (the chairs' names), in order.
    #[serde(default)]
    pub approved_by: Vec<String>,
    /// When it was approved, formatted for the reader, e.g. "2. oktober 2023 kl. 10:15".
    /// (The caller owns time zones; see [`minutes::Date`] for a Danish date.)
    #[serde(default)]
    pub approved_at: Option<String>,
    /// The SHA-256 of the canonical HTML, in lowercase hex (the frozen record).
    #[serde(default)]
    pub sha256: Option<String>,
}

impl DocumentInfo {
    /// The metadata lines of the header as (Danish label, value), in display order.
    pub(crate) fn lines(&self) -> Vec<(&'static str, String)> {
        let mut lines = Vec::new();
        let mut push = |label: &'static str, value: Option<&str>| {
            if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
                lines.push((label, sanitize(v)));
            }
        };
        push("Udvalg", self.committee.as_deref());
        push("Version", self.version.as_deref());
        let approvers = self
            .approved_by
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        push("Godkendt af", Some(&approvers));
        push("Godkendt", self.approved_at.as_deref());
        push("SHA-256", self.sha256.as_deref());
        lines
    }
}

/// A format a document can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// The standalone HTML page ([`html::page`]).
    Html,
    /// Markdown with the header ([`markdown::document`]).
    Markdown,
    /// PDF ([`pdf::document`]).
    Pdf,
    /// Word ([`docx::document`]).
    Docx,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Html, Format::Markdown, Format::Pdf, Format::Docx];

    /// The format named in a URL or a command line: `html`, `md` or `markdown`, `pdf`, `docx`
    /// (any case).
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }

    /// The media type for `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
}

/// A document in `format`, with `info` as its header.
pub fn render(
    doc: &crate::model::Blocks,
    info: &DocumentInfo,
    format: Format,
) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Html => Ok(html::page(doc, info).into_bytes()),
        Format::Markdown => Ok(markdown::document(doc, info).into_bytes()),
        Format::Pdf => pdf::document(doc, info),
        Format::Docx => docx::document(doc, info),
    }
}

/// A file name for an export of a document titled `title`: ASCII letters, digits and
/// hyphens only (æ ø å become ae oe aa), at most 80 characters before the extension, safe in
/// a `Content-Disposition` header; "dokument" when nothing is left of the title.
pub fn file_name(title: &str, format: Format) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'æ' => "ae",
            'ø' => "oe",
            'å' => "aa",
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'á' | 'à' | 'â' => "a",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' => "o",
            'ú' | 'ù' | 'û' => "u",
            c if c.is_ascii_alphanumeric() => {
                slug.push(c);
                continue;
            }
            _ => "-",
        };
        slug.push_str(mapped);
    }
    let mut collapsed = String::new();
    for part in slug.split('-').filter(|p| !p.is_empty()) {
        if collapsed.len() + part.len() + 1 > 80 {
            break;
        }
        if !collapsed.is_empty() {
            collapsed.push('-');
        }
        collapsed.push_str(part);
    }
    if collapsed.is_empty() {
        collapsed.push_str("dokument");
    }
    format!("{collapsed}.{}", format.extension())
}

/// An export that could not be produced. Every input can be exported; these are failures of
/// the writer libraries, which should not happen and are reported rather than panicking.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("PDF could not be written: {0}")]
    Pdf(String),
    #[error("DOCX could not be written: {0}")]
    Docx(String),
}

/// Text as every export writes it: line breaks normalised to `\n` (a hard break), and the
/// characters that no export format may carry removed — C0 controls other than tab and line
/// feed, DEL, C1 controls and the noncharacters U+FFFE and U+FFFF. Nothing else changes (no
/// Unicode normalisation, no trimming).
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 => {}
            '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_text_and_drops_controls() {
        assert_eq!(sanitize("æ ø å\tÆØÅ"), "æ ø å\tÆØÅ");
        assert_eq!(sanitize("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(
            sanitize("a\u{0}b\u{7}c\u{1b}d\u{7f}e\u{85}f\u{ffff}"),
            "abcdef"
        );
    }

    #[test]
    fn file_names_are_ascii_slugs() {
        assert_eq!(
            file_name(
                "Høringssvar til Visions- og Udviklingsplan (2023)",
                Format::Pdf
            ),
            "hoeringssvar-til-visions-og-udviklingsplan-2023.pdf"
        );
        assert_eq!(
            file_name("Æble på Ærø", Format::Docx),
            "aeble-paa-aeroe.docx"
        );
        assert_eq!(file_name("  \"/..\u{1}  ", Format::Html), "dokument.html");
        assert!(file_name(&"ord ".repeat(100), Format::Markdown).len() <= 83);
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.extension()), Some(f));
        }
    }

    #[test]
    fn render_dispatches_every_format() {
        let (doc, info) = sample::joint_response();
        for f in Format::ALL {
            let bytes = render(&doc, &info, f).unwrap_or_default();
            let head = &bytes[..bytes.len().min(5)];
            match f {
                Format::Html => assert_eq!(head, b"<!DOC"),
                Format::Markdown => assert_eq!(head, b"# H\xc3\xb8"),
                Format::Pdf => assert_eq!(head, b"%PDF-"),
                Format::Docx => assert_eq!(head, b"PK\x03\x04\x14"),
            }
        }
    }

    /// A small deterministic generator (xorshift), so the test needs no crate.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }

        fn text(&mut self) -> String {
            const PIECES: [&str; 24] = [
                "æ", "ø", "å", "Æ", "a", "b", " ", " ", "  ", "\n", "\r\n", "\r", "\t", "\u{0}",
                "\u{1b}", "\u{85}", "\u{ffff}", "😀", "中", "e\u{301}", "<&>\"'", "*_`#", "1.",
                "x",
            ];
            let n = self.below(8);
            (0..n)
                .map(|_| {
                    let i = self.below(PIECES.len() as u64 + 1) as usize;
                    match PIECES.get(i) {
                        Some(p) => p.to_string(),
                        None => "y".repeat(self.below(120) as usize),
                    }
                })
                .collect()
        }
    }

    fn random_doc(rng: &mut Rng) -> crate::model::Blocks {
        use crate::model::{Block, BlockKind, Inline, Marks};
        let blocks = (0..rng.below(25))
            .map(|_| {
                let kind = match rng.below(4) {
                    0 => BlockKind::Heading {
                        level: rng.below(256) as u8,
                    },
                    1 => BlockKind::Paragraph,
                    2 => BlockKind::ListItem {
                        ordered: rng.below(2) == 0,
                        depth: rng.below(256) as u8,
                    },
                    _ => BlockKind::Quote,
                };
                let inlines = (0..rng.below(5))
                    .map(|_| Inline {
                        text: rng.text(),
                        marks: Marks {
                            bold: rng.below(2) == 0,
                            italic: rng.below(2) == 0,
                            provenance: None,
                        },
                    })
                    .collect();
                Block { kind, inlines }
            })
            .collect();
        crate::model::Blocks { blocks }
    }

    #[test]
    fn every_export_takes_any_input() {
        let mut rng = Rng(0x5eed_cafe_f00d_beef);
        for round in 0..12 {
            let doc = random_doc(&mut rng);
            let info = DocumentInfo {
                title: rng.text(),
                committee: Some(rng.text()),
                version: None,
                approved_by: vec![rng.text(), rng.text()],
                approved_at: Some(rng.text()),
                sha256: Some(rng.text()),
            };
            assert_eq!(html::canonical(&doc), html::canonical(&doc.clone()));
            for f in Format::ALL {
                let bytes = render(&doc, &info, f);
                assert!(bytes.is_ok_and(|b| !b.is_empty()), "round {round}, {f:?}");
            }
            let _ = markdown::markdown(&doc);
            let (mut meeting, mut items) = sample::minutes_2023_09_25(minutes::Kind::Minutes);
            meeting.place = rng.text();
            meeting.initials = Some(rng.text());
            meeting.date.month = rng.below(256) as u8;
            for item in &mut items {
                item.title = rng.text();
                item.presentation = random_doc(&mut rng);
                item.decision = random_doc(&mut rng);
                item.recommendation = vec![rng.text()];
                let mut deep = minutes::Attachment {
                    title: rng.text(),
                    href: Some(rng.text()),
                    children: Vec::new(),
                };
                for _ in 0..rng.below(40) {
                    deep = minutes::Attachment {
                        title: rng.text(),
                        href: None,
                        children: vec![deep],
                    };
                }
                item.attachments.push(deep);
            }
            assert!(!minutes::html(&meeting, &items).is_empty());
            assert!(minutes::pdf(&meeting, &items).is_ok_and(|b| b.starts_with(b"%PDF-")));
        }
    }

    #[test]
    fn info_lines_skip_empty_fields() {
        let info = DocumentInfo {
            title: "T".into(),
            committee: Some("HMU Socialområdet".into()),
            approved_by: vec![
                "Ann-Britt Wetche".into(),
                " ".into(),
                "Tine Beck Jensen".into(),
            ],
            approved_at: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(
            info.lines(),
            vec![
                ("Udvalg", "HMU Socialområdet".to_string()),
                (
                    "Godkendt af",
                    "Ann-Britt Wetche, Tine Beck Jensen".to_string()
                ),
            ]
        );
    }
}
