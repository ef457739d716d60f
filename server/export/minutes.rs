//! A meeting's agenda (dagsorden) or minutes (referat), in the layout of the region's own:
//!
//! - at the top, the document's date and the initials line ("11. oktober 2023", "/MELAR1");
//! - "Referat" (or "Dagsorden") "til" "møde i HMU Socialområdet", the date and time, "i" the
//!   place;
//! - "Indholdsfortegnelse": a table of Pkt., Tekst (title and time slot) and, in the PDF, Side;
//! - per agenda item: the case number (Sagsnr.), the numbered title with its time slot, "Det
//!   indstilles, at HMU" with its bullets, "Sagsfremstilling", "Beslutning" (minutes only) and
//!   "Bilag" with the attachments, each with its own attachments under it (the joint HMU
//!   response with each LMU's response).
//!
//! Sections with nothing in them are left out. In the PDF every item after the first starts
//! on a new page, the table of contents gives each item's page and links to it, and the
//! outline lists the items; in the HTML page the table of contents links to anchors
//! `#punkt-N`.

use serde::{Deserialize, Serialize};

use super::html::{STYLE, escape};
use super::pdf::layout::{Align, Anchor, Cell, Layout, Para, Role, Run};
use super::pdf::{Body, Style, bullet, render_nodes};
use super::structure::{plain, tree};
use super::{ExportError, sanitize};
use crate::model::{Block, BlockKind, Blocks, Inline, Marks};

/// A calendar date, written the Danish way: "25. september 2023".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    /// 1–12; anything else is written as a number.
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A date from its ISO form, `YYYY-MM-DD` (as the database keeps it).
    pub fn parse_iso(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Date { year, month, day })
    }

    /// "25. september 2023".
    pub fn danish(&self) -> String {
        const MONTHS: [&str; 12] = [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ];
        match MONTHS.get(usize::from(self.month).wrapping_sub(1)) {
            Some(month) => format!("{}. {} {}", self.day, month, self.year),
            None => format!("{}.{}.{}", self.day, self.month, self.year),
        }
    }
}

/// A time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
}

impl Time {
    /// A time from `HH:MM` (or `HH.MM`).
    pub fn parse(text: &str) -> Option<Time> {
        let (h, m) = text.trim().split_once([':', '.'])?;
        let (hour, minute): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
        (hour < 24 && minute < 60 && m.len() == 2).then_some(Time { hour, minute })
    }

    /// "14:00" (the meeting's time in the seeds) or, with `'.'`, "14.00" (an item's slot).
    pub fn format(&self, separator: char) -> String {
        format!("{:02}{separator}{:02}", self.hour, self.minute)
    }
}

/// An agenda item's time slot, written "kl. 14.05-14.30".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeSlot {
    pub start: Time,
    pub end: Time,
}

impl TimeSlot {
    pub fn danish(&self) -> String {
        format!("kl. {}-{}", self.start.format('.'), self.end.format('.'))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Dagsorden: before the meeting, without decisions.
    Agenda,
    /// Referat: after the meeting, with each item's decision.
    Minutes,
}

/// A meeting of a committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// The committee's name, e.g. "HMU Socialområdet".
    pub committee: String,
    /// The name used in "Det indstilles, at HMU"; by default the first word of `committee`.
    #[serde(default)]
    pub committee_short: Option<String>,
    pub kind: Kind,
    pub date: Date,
    #[serde(default)]
    pub start: Option<Time>,
    #[serde(default)]
    pub end: Option<Time>,
    /// Where, e.g. "Virtuelt møde, alle ringer til" (a line feed starts a new line).
    pub place: String,
    /// The date of the document itself (the minutes are written after the meeting).
    #[serde(default)]
    pub document_date: Option<Date>,
    /// The initials line under the document date, as written, e.g. "/MELAR1".
    #[serde(default)]
    pub initials: Option<String>,
}

/// An item of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// Its number ("Pkt.").
    pub number: u32,
    pub title: String,
    #[serde(default)]
    pub time: Option<TimeSlot>,
    /// "Sagsnr.", e.g. "1-30-73-60-23".
    #[serde(default)]
    pub case_number: Option<String>,
    /// The bullets under "Det indstilles, at HMU".
    #[serde(default)]
    pub recommendation: Vec<String>,
    /// "Sagsfremstilling" ([`paragraphs`] makes one from plain text).
    #[serde(default)]
    pub presentation: Blocks,
    /// "Beslutning"; shown in minutes only.
    #[serde(default)]
    pub decision: Blocks,
    /// "Bilag".
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// An attachment (bilag), possibly with its own attachments (an LMU's response under the
/// joint response).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub title: String,
    /// Where the HTML page links it (a relative URL, or http, https or mailto); ignored in
    /// the PDF.
    #[serde(default)]
    pub href: Option<String>,
    #[serde(default)]
    pub children: Vec<Attachment>,
}

/// Plain paragraphs as a document (one paragraph per string).
pub fn paragraphs<S: AsRef<str>>(texts: &[S]) -> Blocks {
    Blocks {
        blocks: texts
            .iter()
            .map(|t| Block {
                kind: BlockKind::Paragraph,
                inlines: vec![Inline {
                    text: t.as_ref().to_string(),
                    marks: Marks::default(),
                }],
            })
            .collect(),
    }
}

/// Plain text as a document, the way a secretary types a Sagsfremstilling or Beslutning:
/// paragraphs separated by blank lines, a line break inside a paragraph kept as a hard break,
/// and lines that start with "- ", "* " or "• " as bullet items (indented by two spaces or a
/// tab per level).
pub fn text_blocks(text: &str) -> Blocks {
    let text = sanitize(text);
    let mut blocks: Vec<Block> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block {
                kind: BlockKind::Paragraph,
                inlines: vec![Inline {
                    text: paragraph.join("\n"),
                    marks: Marks::default(),
                }],
            });
            paragraph.clear();
        }
    };
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent: usize = line[..line.len() - trimmed.len()]
            .chars()
            .map(|c| if c == '\t' { 2 } else { 1 })
            .sum();
        let item = ["- ", "* ", "• "]
            .iter()
            .find_map(|m| trimmed.strip_prefix(m));
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else if let Some(item) = item {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block {
                kind: BlockKind::ListItem {
                    ordered: false,
                    depth: u8::try_from(indent / 2).unwrap_or(u8::MAX),
                },
                inlines: vec![Inline {
                    text: item.trim().to_string(),
                    marks: Marks::default(),
                }],
            });
        } else {
            paragraph.push(line.trim());
        }
    }
    flush(&mut paragraph, &mut blocks);
    Blocks { blocks }
}

/// Attachments deeper than this are shown at this depth.
const MAX_ATTACHMENT_DEPTH: usize = 12;

impl Meeting {
    fn kind_word(&self) -> &'static str {
        match self.kind {
            Kind::Agenda => "Dagsorden",
            Kind::Minutes => "Referat",
        }
    }

    fn short(&self) -> String {
        self.committee_short
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .or_else(|| self.committee.split_whitespace().next())
            .map(sanitize)
            .unwrap_or_else(|| "udvalget".to_string())
    }

    /// "25. september 2023 kl. 14:00-15:00".
    fn when(&self) -> String {
        let mut s = self.date.danish();
        match (self.start, self.end) {
            (Some(a), Some(b)) => s.push_str(&format!(" kl. {}-{}", a.format(':'), b.format(':'))),
            (Some(a), None) => s.push_str(&format!(" kl. {}", a.format(':'))),
            _ => {}
        }
        s
    }

    fn title(&self) -> String {
        format!(
            "{} til møde i {} {}",
            self.kind_word(),
            sanitize(self.committee.trim()),
            self.date.danish()
        )
    }
}

impl AgendaItem {
    /// "2. Drøftelse af … (kl. 14.05-14.30)".
    fn heading(&self) -> String {
        let title = sanitize(self.title.trim()).replace('\n', " ");
        match self.time {
            Some(slot) => format!("{}. {} ({})", self.number, title, slot.danish()),
            None => format!("{}. {}", self.number, title),
        }
    }

    fn toc_text(&self) -> String {
        let title = sanitize(self.title.trim()).replace('\n', " ");
        match self.time {
            Some(slot) => format!("{} ({})", title, slot.danish()),
            None => title,
        }
    }

    fn recommendation(&self) -> Vec<String> {
        self.recommendation
            .iter()
            .map(|s| sanitize(s.trim()))
            .filter(|s| !s.is_empty())
            .collect()
    }
}

fn has_text(doc: &Blocks) -> bool {
    doc.blocks.iter().any(|b| !b.text().trim().is_empty())
}

/// The agenda or minutes as a standalone HTML page.
pub fn html(meeting: &Meeting, items: &[AgendaItem]) -> String {
    let mut out = String::new();
    let title = escape(&meeting.title());
    out.push_str("<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
    ));
    out.push_str("<header class=\"forside\">\n");
    let top: Vec<String> = meeting
        .document_date
        .map(|d| d.danish())
        .into_iter()
        .chain(meeting.initials.iter().map(|s| sanitize(s.trim())))
        .filter(|s| !s.is_empty())
        .map(|s| escape(&s))
        .collect();
    if !top.is_empty() {
        out.push_str(&format!("<p class=\"meta-top\">{}</p>\n", top.join("<br>")));
    }
    out.push_str(&format!(
        "<h1 class=\"art\">{}</h1>\n<p>til</p>\n<p><strong>møde i {}</strong></p>\n<p><strong>{}</strong></p>\n",
        meeting.kind_word(),
        escape(&sanitize(meeting.committee.trim())),
        escape(&meeting.when())
    ));
    let place = sanitize(meeting.place.trim());
    if !place.is_empty() {
        out.push_str(&format!(
            "<p><strong>i {}</strong></p>\n",
            escape(&place).replace('\n', "<br>")
        ));
    }
    out.push_str("</header>\n<nav>\n<h2>Indholdsfortegnelse</h2>\n<table class=\"indhold\">\n");
    out.push_str("<thead><tr><th scope=\"col\">Pkt.</th><th scope=\"col\">Tekst</th></tr></thead>\n<tbody>\n");
    for (i, item) in items.iter().enumerate() {
        out.push_str(&format!(
            "<tr><td>{}</td><td><a href=\"#{}\">{}</a></td></tr>\n",
            item.number,
            anchor(items, i),
            escape(&item.toc_text())
        ));
    }
    out.push_str("</tbody>\n</table>\n</nav>\n<main>\n");
    let short = escape(&meeting.short());
    for (i, item) in items.iter().enumerate() {
        out.push_str(&format!(
            "<section class=\"punkt\" id=\"{}\">\n",
            anchor(items, i)
        ));
        if let Some(case) = item
            .case_number
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            out.push_str(&format!(
                "<p class=\"sagsnr\">Sagsnr. {}</p>\n",
                escape(&sanitize(case))
            ));
        }
        out.push_str(&format!("<h2>{}</h2>\n", escape(&item.heading())));
        let rec = item.recommendation();
        if !rec.is_empty() {
            out.push_str(&format!("<h3>Det indstilles, at {short}</h3>\n<ul>\n"));
            for r in rec {
                out.push_str(&format!("<li>{}</li>\n", escape(&r).replace('\n', "<br>")));
            }
            out.push_str("</ul>\n");
        }
        if has_text(&item.presentation) {
            out.push_str("<h3>Sagsfremstilling</h3>\n");
            out.push_str(&fragment(&item.presentation));
        }
        if meeting.kind == Kind::Minutes && has_text(&item.decision) {
            out.push_str("<h3>Beslutning</h3>\n");
            out.push_str(&fragment(&item.decision));
        }
        if !item.attachments.is_empty() {
            out.push_str("<h3>Bilag</h3>\n");
            html_attachments(&item.attachments, 0, &mut out);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The anchor of item `i`: `punkt-N`, or `punkt-N-i` when the number repeats.
fn anchor(items: &[AgendaItem], i: usize) -> String {
    let number = items.get(i).map_or(0, |it| it.number);
    if items.iter().filter(|it| it.number == number).count() > 1 {
        format!("punkt-{number}-{}", i + 1)
    } else {
        format!("punkt-{number}")
    }
}

/// Content under an item's h2/h3: its headings become h3–h6.
fn fragment(doc: &Blocks) -> String {
    let shifted = Blocks {
        blocks: doc
            .blocks
            .iter()
            .map(|b| match b.kind {
                BlockKind::Heading { level } => Block {
                    kind: BlockKind::Heading {
                        level: level.clamp(1, 6).saturating_add(2).min(6),
                    },
                    inlines: b.inlines.clone(),
                },
                _ => b.clone(),
            })
            .collect(),
    };
    super::html::canonical(&shifted)
}

fn html_attachments(list: &[Attachment], depth: usize, out: &mut String) {
    out.push_str("<ul>\n");
    for a in list {
        let title = escape(&sanitize(a.title.trim()).replace('\n', " "));
        match a.href.as_deref().filter(|h| safe_href(h)) {
            Some(href) => out.push_str(&format!("<li><a href=\"{}\">{title}</a>", escape(href))),
            None => out.push_str(&format!("<li>{title}")),
        }
        if !a.children.is_empty() {
            if depth < MAX_ATTACHMENT_DEPTH {
                out.push('\n');
                html_attachments(&a.children, depth + 1, out);
            } else {
                // Too deep: the rest is listed flat.
                out.push('\n');
                let mut flat = Vec::new();
                flatten(&a.children, &mut flat);
                out.push_str("<ul>\n");
                for t in flat {
                    out.push_str(&format!("<li>{}</li>\n", escape(&t)));
                }
                out.push_str("</ul>\n");
            }
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

fn flatten(list: &[Attachment], out: &mut Vec<String>) {
    // Iterative, so that no nesting can exhaust the stack.
    let mut stack: Vec<&Attachment> = list.iter().rev().collect();
    while let Some(a) = stack.pop() {
        out.push(sanitize(a.title.trim()).replace('\n', " "));
        stack.extend(a.children.iter().rev());
    }
}

/// A link target that cannot run script: relative, or http(s) or mailto.
fn safe_href(href: &str) -> bool {
    let h = href.trim().to_ascii_lowercase();
    if h.is_empty() || h.chars().any(|c| c.is_control()) {
        return false;
    }
    match h.find(':') {
        None => true,
        Some(colon) => {
            let scheme = &h[..colon];
            // A colon after a path or query character is not a scheme.
            scheme.contains(['/', '?', '#']) || matches!(scheme, "http" | "https" | "mailto")
        }
    }
}

/// The agenda or minutes as PDF (A4, the same layout engine and fonts as the document PDF).
pub fn pdf(meeting: &Meeting, items: &[AgendaItem]) -> Result<Vec<u8>, ExportError> {
    // Two passes: the first finds each item's page, the second writes them into the table of
    // contents (whose layout does not depend on the numbers).
    let first = layout_minutes(meeting, items, None)?;
    let pages: Vec<usize> = first.1.iter().map(|a| a.page + 1).collect();
    let (layout, _) = layout_minutes(meeting, items, Some(&pages))?;
    let footer_left = format!(
        "{} · {} · {}",
        meeting.kind_word(),
        sanitize(meeting.committee.trim()),
        meeting.date.danish()
    );
    layout.finish(&meeting.title(), &move |page, total| {
        vec![
            (footer_left.clone(), Align::Left),
            (format!("Side {page} af {total}"), Align::Right),
        ]
    })
}

fn layout_minutes(
    meeting: &Meeting,
    items: &[AgendaItem],
    pages: Option<&[usize]>,
) -> Result<(Layout, Vec<Anchor>), ExportError> {
    let fonts = super::pdf::fonts_or_error()?;
    let mut l = Layout::new(fonts);
    let right = Para {
        align: Align::Right,
        space_after: 0.0,
        ..Para::body(9.5)
    };
    if let Some(d) = meeting.document_date {
        l.paragraph(&[Run::new(d.danish(), Style::REGULAR)], &right, None);
    }
    if let Some(i) = meeting
        .initials
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        l.paragraph(&[Run::new(sanitize(i), Style::REGULAR)], &right, None);
    }
    l.space(36.0);
    let cover = |size: f32, bold: bool| Para {
        align: Align::Left,
        space_after: 4.0,
        force: Some(if bold { Style::BOLD } else { Style::REGULAR }),
        ..Para::body(size)
    };
    let at = l.paragraph(
        &[Run::new(meeting.kind_word(), Style::BOLD)],
        &Para {
            role: Role::Heading(1),
            ..cover(22.0, true)
        },
        None,
    );
    l.add_outline(1, &meeting.title(), at);
    l.paragraph(
        &[Run::new("til", Style::REGULAR)],
        &cover(11.0, false),
        None,
    );
    l.paragraph(
        &[Run::new(
            format!("møde i {}", sanitize(meeting.committee.trim())),
            Style::BOLD,
        )],
        &cover(14.0, true),
        None,
    );
    l.paragraph(
        &[Run::new(meeting.when(), Style::BOLD)],
        &cover(12.0, true),
        None,
    );
    let place = sanitize(meeting.place.trim());
    if !place.is_empty() {
        l.paragraph(
            &[Run::new(format!("i {place}"), Style::BOLD)],
            &cover(12.0, true),
            None,
        );
    }
    l.space(28.0);
    let at = l.paragraph(
        &[Run::new("Indholdsfortegnelse", Style::BOLD)],
        &Para {
            role: Role::Heading(2),
            ..Para::heading(14.0)
        },
        None,
    );
    l.add_outline(2, "Indholdsfortegnelse", at);
    l.rule(0.8, 80, 0.0, 4.0);
    let row = Para {
        space_after: 3.0,
        ..Para::body(10.0)
    };
    let text_x = 38.0;
    let side_w = 36.0;
    let text_w = super::pdf::layout::CONTENT_W - text_x - side_w - 8.0;
    let cells = |pkt: Vec<Run>, text: Vec<Run>, side: Vec<Run>| {
        vec![
            Cell {
                runs: pkt,
                x: 0.0,
                width: text_x - 6.0,
                align: Align::Left,
            },
            Cell {
                runs: text,
                x: text_x,
                width: text_w,
                align: Align::Left,
            },
            Cell {
                runs: side,
                x: super::pdf::layout::CONTENT_W - side_w,
                width: side_w,
                align: Align::Right,
            },
        ]
    };
    let b = |s: &str| vec![Run::new(s, Style::BOLD)];
    l.open(Role::Table);
    l.row(&cells(b("Pkt."), b("Tekst"), b("Side")), &row, true);
    l.rule(0.5, 150, 0.0, 3.0);
    let mut toc_rows = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let page = pages
            .and_then(|p| p.get(i))
            .map(|p| p.to_string())
            .unwrap_or_default();
        let r = |s: String| vec![Run::new(s, Style::REGULAR)];
        let from = l.row(
            &cells(r(item.number.to_string()), r(item.toc_text()), r(page)),
            &row,
            false,
        );
        toc_rows.push((from, l.y() - from.y));
    }
    l.close();
    l.rule(0.5, 150, 0.0, 24.0);

    let body = Body {
        justify: false,
        heading_shift: 2,
        outline_shift: 0,
    };
    let section = |l: &mut Layout, title: &str| {
        l.paragraph(
            &[Run::new(title, Style::BOLD)],
            &Para {
                space_before: 10.0,
                role: Role::Heading(3),
                ..Para::heading(12.0)
            },
            None,
        );
    };
    let short = meeting.short();
    let mut starts = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            l.new_page();
        } else {
            l.ensure(160.0);
        }
        let start = l.here();
        starts.push(start);
        l.open(Role::Section);
        if let Some(case) = item
            .case_number
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            l.paragraph(
                &[Run::new(
                    format!("Sagsnr. {}", sanitize(case)),
                    Style::REGULAR,
                )],
                &Para {
                    space_after: 4.0,
                    keep_with_next: true,
                    gray: 60,
                    ..Para::body(9.0)
                },
                None,
            );
        }
        let heading = item.heading();
        l.paragraph(
            &[Run::new(heading.clone(), Style::BOLD)],
            &Para {
                space_before: 0.0,
                space_after: 6.0,
                role: Role::Heading(2),
                ..Para::heading(13.0)
            },
            None,
        );
        l.add_outline(2, &heading, start);
        let rec = item.recommendation();
        if !rec.is_empty() {
            section(&mut l, &format!("Det indstilles, at {short}"));
            let marker = Run::new(bullet(&l, 0), Style::REGULAR);
            l.open(Role::List { ordered: false });
            for r in rec {
                l.open(Role::Item);
                l.open(Role::Body);
                l.paragraph(
                    &[Run::new(r, Style::REGULAR)],
                    &Para {
                        indent: 18.0,
                        space_after: 2.5,
                        ..super::pdf::body_para(&body)
                    },
                    Some(&marker),
                );
                l.close();
                l.close();
            }
            l.close();
            l.space(6.0);
        }
        if has_text(&item.presentation) {
            section(&mut l, "Sagsfremstilling");
            render_nodes(&mut l, &tree(&item.presentation), &body);
        }
        if meeting.kind == Kind::Minutes && has_text(&item.decision) {
            section(&mut l, "Beslutning");
            render_nodes(&mut l, &tree(&item.decision), &body);
        }
        if !item.attachments.is_empty() {
            section(&mut l, "Bilag");
            pdf_attachments(&mut l, &item.attachments, 0, &body);
        }
        l.close();
    }
    // Each row of the table of contents links to its item.
    for ((from, height), to) in toc_rows.into_iter().zip(&starts) {
        l.link(from, height, *to);
    }
    Ok((l, starts))
}

/// Attachments as a nested bullet list; below [`MAX_ATTACHMENT_DEPTH`] the rest is listed
/// flat.
fn pdf_attachments(l: &mut Layout, list: &[Attachment], depth: usize, body: &Body) {
    l.open(Role::List { ordered: false });
    for a in list {
        l.open(Role::Item);
        l.open(Role::Body);
        attachment_line(l, &a.title, depth, body);
        if !a.children.is_empty() {
            if depth + 1 < MAX_ATTACHMENT_DEPTH {
                pdf_attachments(l, &a.children, depth + 1, body);
            } else {
                let mut flat = Vec::new();
                flatten(&a.children, &mut flat);
                l.open(Role::List { ordered: false });
                for title in flat {
                    l.open(Role::Item);
                    l.open(Role::Body);
                    attachment_line(l, &title, depth + 1, body);
                    l.close();
                    l.close();
                }
                l.close();
            }
        }
        l.close();
        l.close();
    }
    l.close();
}

fn attachment_line(l: &mut Layout, title: &str, depth: usize, body: &Body) {
    let marker = Run::new(bullet(l, depth), Style::REGULAR);
    let title: String = plain(&title.trim().replace('\n', " "))
        .into_iter()
        .map(|s| s.text)
        .collect();
    l.paragraph(
        &[Run::new(title, Style::REGULAR)],
        &Para {
            indent: 18.0 * (depth + 1) as f32,
            space_after: 2.5,
            ..super::pdf::body_para(body)
        },
        Some(&marker),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_dates_and_times() {
        let d = Date {
            year: 2023,
            month: 9,
            day: 25,
        };
        assert_eq!(d.danish(), "25. september 2023");
        assert_eq!(
            Date {
                year: 2023,
                month: 13,
                day: 1
            }
            .danish(),
            "1.13.2023"
        );
        let slot = TimeSlot {
            start: Time {
                hour: 14,
                minute: 5,
            },
            end: Time {
                hour: 14,
                minute: 30,
            },
        };
        assert_eq!(slot.danish(), "kl. 14.05-14.30");
    }

    #[test]
    fn parses_the_database_forms() {
        assert_eq!(
            Date::parse_iso("2023-09-25"),
            Some(Date {
                year: 2023,
                month: 9,
                day: 25
            })
        );
        assert_eq!(Date::parse_iso("2023-13-01"), None);
        assert_eq!(Date::parse_iso("25.09.2023"), None);
        assert_eq!(
            Time::parse("14:05"),
            Some(Time {
                hour: 14,
                minute: 5
            })
        );
        assert_eq!(
            Time::parse("9.30"),
            Some(Time {
                hour: 9,
                minute: 30
            })
        );
        assert_eq!(Time::parse("24:00"), None);
        assert_eq!(Time::parse("14:5"), None);
    }

    #[test]
    fn plain_text_becomes_paragraphs_and_bullets() {
        let doc = text_blocks(
            "Socialdirektøren bød velkommen.\r\nAnden linje.\n\nDer var afbud fra:\n- René Lodal\n  - suppleant\n• Lotte Koldtoft\n\n\nSlut.",
        );
        assert_eq!(
            super::super::html::canonical(&doc),
            "<p>Socialdirektøren bød velkommen.<br>Anden linje.</p>\n<p>Der var afbud fra:</p>\n\
             <ul>\n<li>René Lodal\n<ul>\n<li>suppleant</li>\n</ul>\n</li>\n<li>Lotte Koldtoft</li>\n</ul>\n<p>Slut.</p>\n"
        );
        assert!(text_blocks(" \n\n ").blocks.is_empty());
    }

    #[test]
    fn hrefs_that_could_run_script_are_dropped() {
        assert!(safe_href("records/12/export.pdf"));
        assert!(safe_href("/api/records/12?format=pdf"));
        assert!(safe_href("https://example.org/a"));
        assert!(!safe_href("javascript:alert(1)"));
        assert!(!safe_href(" JavaScript:alert(1)"));
        assert!(!safe_href("data:text/html,x"));
        assert!(!safe_href("java\u{0}script:x"));
    }
}
