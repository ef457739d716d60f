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
