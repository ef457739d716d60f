//! A small page layout engine shared by the document and the minutes PDFs: paragraphs with
//! word wrap (and optional justification), list markers, quote bars, rules, table rows, an
//! outline and internal links, laid out onto A4 pages first and drawn with krilla at the end
//! (so that page numbers "Side X af Y" and a table of contents can know the page count).

use krilla::Document;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::luma;
use krilla::destination::{Destination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope, Tag,
    TagGroup, TagKind, TagTree,
};

use super::fonts::{Fonts, Style};
use crate::export::ExportError;
use crate::export::structure::Span;

pub(crate) const PAGE_W: f32 = 595.28;
pub(crate) const PAGE_H: f32 = 841.89;
pub(crate) const MARGIN_L: f32 = 70.0;
pub(crate) const MARGIN_R: f32 = 60.0;
pub(crate) const MARGIN_T: f32 = 62.0;
pub(crate) const MARGIN_B: f32 = 70.0;
pub(crate) const CONTENT_W: f32 = PAGE_W - MARGIN_L - MARGIN_R;
const BOTTOM: f32 = PAGE_H - MARGIN_B;

/// A run of text in one face.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub text: String,
    pub style: Style,
}

impl Run {
    pub fn new(text: impl Into<String>, style: Style) -> Run {
        Run {
            text: text.into(),
            style,
        }
    }
}

pub(crate) fn runs(spans: &[Span]) -> Vec<Run> {
    spans
        .iter()
        .map(|s| Run {
            text: s.text.clone(),
            style: Style {
                bold: s.bold,
                italic: s.italic,
            },
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
    Justify,
}

/// What a piece of the page is in the document's logical structure (the PDF's tag tree, read
/// by screen readers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A heading; 1 is the document's title.
    Heading(u8),
    P,
    List {
        ordered: bool,
    },
    Item,
    /// A list item's bullet or number.
    Label,
    /// A list item's content.
    Body,
    Quote,
    Table,
    Row,
    HeaderCell,
    Cell,
    Section,
}

struct Element {
    role: Role,
    children: Vec<usize>,
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Para {
    pub size: f32,
    /// Line height in points.
    pub leading: f32,
    /// Distance of the text from the content area's left edge.
    pub indent: f32,
    /// Width of the text; `None` is up to the right margin.
    pub width: Option<f32>,
    pub space_before: f32,
    pub space_after: f32,
    pub align: Align,
    /// Keep the paragraph on the page of the next one (headings).
    pub keep_with_next: bool,
    /// Draw a quote bar left of the text.
    pub bar: bool,
    /// Gray level of the text: 0 is black.
    pub gray: u8,
    /// Every run is forced to this style (bold headings); `None` keeps the runs' own.
    pub force: Option<Style>,
    /// Its role in the tag tree.
    pub role: Role,
}

impl Para {
    pub fn body(size: f32) -> Para {
        Para {
            size,
            leading: (size * 1.32).round_ties_even(),
            indent: 0.0,
            width: None,
            space_before: 0.0,
            space_after: 6.0,
            align: Align::Left,
            keep_with_next: false,
            bar: false,
            gray: 0,
            force: None,
            role: Role::P,
        }
    }

    pub fn heading(size: f32) -> Para {
        Para {
            leading: (size * 1.25).round_ties_even(),
            space_before: size * 0.9,
            space_after: 4.0,
            keep_with_next: true,
            force: Some(Style::BOLD),
            role: Role::Heading(2),
            ..Para::body(size)
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        style: Style,
        size: f32,
        text: String,
        space_extra: f32,
        gray: u8,
        /// The element of the tag tree the text belongs to; `None` is an artifact (page
        /// furniture such as footers).
        tag: Option<usize>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        gray: u8,
    },
}

struct Link {
    page: usize,
    rect: (f32, f32, f32, f32),
    target: Anchor,
}

/// A place in the document: a page index and a y coordinate (from the top).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Anchor {
    pub page: usize,
    pub y: f32,
}

struct OutlineEntry {
    level: u8,
    title: String,
    at: Anchor,
}

/// A cell of a table row.
pub(crate) struct Cell {
    pub runs: Vec<Run>,
    /// Left edge, relative to the content area.
    pub x: f32,
    pub width: f32,
    pub align: Align,
}

pub(crate) struct Layout {
    fonts: &'static Fonts,
    pages: Vec<Vec<Op>>,
    y: f32,
    pending: f32,
    at_top: bool,
    outline: Vec<OutlineEntry>,
    links: Vec<Link>,
    elements: Vec<Element>,
    roots: Vec<usize>,
    open: Vec<usize>,
}

/// One line of a broken paragraph.
#[derive(Debug, Default)]
struct Line {
    frags: Vec<Frag>,
    width: f32,
    spaces: usize,
    /// Ends the paragraph or a hard break: never justified.
    last: bool,
}

#[derive(Debug, Clone)]
struct Frag {
    text: String,
    style: Style,
    width: f32,
}

impl Line {
    fn push(&mut self, frag: Frag) {
        self.width += frag.width;
        match self.frags.last_mut() {
            Some(last) if last.style == frag.style => {
                last.text.push_str(&frag.text);
                last.width += frag.width;
            }
            _ => self.frags.push(frag),
        }
    }
}

enum Atom {
    Word(Vec<Frag>),
    Space(Frag),
    Break,
}

impl Layout {
    pub fn new(fonts: &'static Fonts) -> Layout {
        Layout {
            fonts,
            pages: vec![Vec::new()],
            y: MARGIN_T,
            pending: 0.0,
            at_top: true,
            outline: Vec::new(),
            links: Vec::new(),
            elements: Vec::new(),
            roots: Vec::new(),
            open: Vec::new(),
        }
    }

    fn element(&mut self, role: Role) -> usize {
        let id = self.elements.len();
        self.elements.push(Element {
            role,
            children: Vec::new(),
        });
        match self.open.last().and_then(|p| self.elements.get_mut(*p)) {
            Some(parent) => parent.children.push(id),
            None => self.roots.push(id),
        }
        id
    }

    /// Opens a container of the tag tree (a list, an item, a quote, a table, a section):
    /// what follows goes into it until [`Layout::close`].
    pub fn open(&mut self, role: Role) {
        let id = self.element(role);
        self.open.push(id);
    }

    pub fn close(&mut self) {
        self.open.pop();
    }

    /// The element of a list marker: in the item, before the item's body when the paragraph
    /// sits in one, else before the paragraph.
    fn label(&mut self) -> usize {
        let n = self.open.len();
        let body_and_item = match (
            self.open.get(n.wrapping_sub(1)),
            self.open.get(n.wrapping_sub(2)),
        ) {
            (Some(&body), Some(&item))
                if self.elements.get(body).map(|e| e.role) == Some(Role::Body) =>
            {
                Some((body, item))
            }
            _ => None,
        };
        match body_and_item {
            Some((body, item)) => {
                let id = self.elements.len();
                self.elements.push(Element {
                    role: Role::Label,
                    children: Vec::new(),
                });
                if let Some(parent) = self.elements.get_mut(item) {
                    let at = parent
                        .children
                        .iter()
                        .position(|c| *c == body)
                        .unwrap_or(parent.children.len());
                    parent.children.insert(at, id);
                }
                id
            }
            None => self.element(Role::Label),
        }
    }

    pub fn fonts(&self) -> &'static Fonts {
        self.fonts
    }

    /// Where the next content starts (after pending space), for outlines and links.
    pub fn here(&self) -> Anchor {
        Anchor {
            page: self.pages.len() - 1,
            y: if self.at_top {
                self.y
            } else {
                self.y + self.pending
            },
        }
    }

    #[cfg(test)]
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Vertical space before the next content; spaces in a row collapse to the largest, and
    /// space at the top of a page is dropped.
    pub fn space(&mut self, points: f32) {
        self.pending = self.pending.max(points);
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_T;
        self.pending = 0.0;
        self.at_top = true;
    }

    /// Starts a new page unless `height` points (plus pending space) fit on this one.
    pub fn ensure(&mut self, height: f32) {
        if !self.at_top && self.y + self.pending + height > BOTTOM {
            self.new_page();
        }
    }

    fn settle(&mut self) {
        if !self.at_top {
            self.y += self.pending;
        }
        self.pending = 0.0;
    }

    fn op(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
        self.at_top = false;
    }

    pub fn add_outline(&mut self, level: u8, title: &str, at: Anchor) {
        self.outline.push(OutlineEntry {
            level,
            title: title.to_string(),
            at,
        });
    }

    /// A paragraph; `marker` (a bullet or number) is set right-aligned left of its first
    /// line. Returns where its first line starts.
    pub fn paragraph(&mut self, runs: &[Run], p: &Para, marker: Option<&Run>) -> Anchor {
        let width = p.width.unwrap_or(CONTENT_W - p.indent).max(p.size);
        let lines = self.break_lines(runs, width, p);
        self.space(p.space_before);
        let n = lines.len().max(1) as f32;
        if p.keep_with_next {
            self.ensure((n * p.leading + 2.0 * 15.0).min(BOTTOM - MARGIN_T));
        } else {
            self.ensure(p.leading * n.min(2.0));
        }
        self.settle();
        let start = self.here();
        let label = marker.map(|_| self.label());
        let tag = Some(self.element(p.role));
        let mut first = true;
        for line in &lines {
            if self.y + p.leading > BOTTOM && !self.at_top {
                self.new_page();
            }
            let baseline = self.y + p.size * 0.95 + (p.leading - p.size * 1.15).max(0.0) / 2.0;
            let left = MARGIN_L + p.indent;
            if first {
                if let Some(m) = marker {
                    let mw = self.fonts.width(&m.text, m.style, p.size);
                    self.op(Op::Text {
                        x: left - mw - p.size * 0.45,
                        y: baseline,
                        style: m.style,
                        size: p.size,
                        text: m.text.clone(),
                        space_extra: 0.0,
                        gray: p.gray,
                        tag: label,
                    });
                }
                first = false;
            }
            self.draw_line(line, left, baseline, width, p, tag);
            if p.bar {
                self.op(Op::Line {
                    x1: left - 9.0,
                    y1: self.y,
                    x2: left - 9.0,
                    y2: self.y + p.leading,
                    width: 1.6,
                    gray: 150,
                });
            }
            // An empty paragraph still takes its line.
            self.at_top = false;
            self.y += p.leading;
        }
        self.space(p.space_after);
        start
    }

    fn draw_line(
        &mut self,
        line: &Line,
        left: f32,
        baseline: f32,
        width: f32,
        p: &Para,
        tag: Option<usize>,
    ) {
        let slack = (width - line.width).max(0.0);
        let (mut x, extra) = match p.align {
            Align::Left => (left, 0.0),
            Align::Right => (left + slack, 0.0),
            Align::Justify => {
                let extra = if line.last || line.spaces == 0 {
                    0.0
                } else {
                    slack / line.spaces as f32
                };
                // A line with a single gap and a lot of room looks worse justified.
                (left, if extra > p.size { 0.0 } else { extra })
            }
        };
        for frag in &line.frags {
            let spaces = frag.text.chars().filter(|c| *c == ' ').count() as f32;
            self.op(Op::Text {
                x,
                y: baseline,
                style: frag.style,
                size: p.size,
                text: frag.text.clone(),
                space_extra: extra,
                gray: p.gray,
                tag,
            });
            x += frag.width + extra * spaces;
        }
    }

    /// A row of cells side by side (a table row in the tag tree; `header` makes its cells
    /// column headers); its height is the tallest cell's. Returns where it starts.
    pub fn row(&mut self, cells: &[Cell], p: &Para, header: bool) -> Anchor {
        let broken: Vec<Vec<Line>> = cells
            .iter()
            .map(|c| self.break_lines(&c.runs, c.width.max(p.size), p))
            .collect();
        let n = broken.iter().map(Vec::len).max().unwrap_or(1).max(1);
        self.space(p.space_before);
        self.ensure((n as f32 * p.leading).min(BOTTOM - MARGIN_T));
        self.settle();
        let start = self.here();
        self.open(Role::Row);
        let role = if header { Role::HeaderCell } else { Role::Cell };
        let tags: Vec<Option<usize>> = cells.iter().map(|_| Some(self.element(role))).collect();
        self.close();
        for i in 0..n {
            if self.y + p.leading > BOTTOM && !self.at_top {
                self.new_page();
            }
            let baseline = self.y + p.size * 0.95 + (p.leading - p.size * 1.15).max(0.0) / 2.0;
            for ((cell, lines), tag) in cells.iter().zip(&broken).zip(&tags) {
                if let Some(line) = lines.get(i) {
                    let cp = Para {
                        align: cell.align,
                        ..*p
                    };
                    self.draw_line(line, MARGIN_L + cell.x, baseline, cell.width, &cp, *tag);
                }
            }
            self.at_top = false;
            self.y += p.leading;
        }
        self.space(p.space_after);
        start
    }

    /// The current y position on the current page.
    pub fn y(&self) -> f32 {
        self.y
    }

    /// A link from the area of the content width and `height` points at `from` to `to`.
    pub fn link(&mut self, from: Anchor, height: f32, to: Anchor) {
        self.links.push(Link {
            page: from.page,
            rect: (MARGIN_L, from.y, CONTENT_W, height.max(1.0)),
            target: to,
        });
    }

    /// A horizontal rule across the content width.
    pub fn rule(&mut self, width: f32, gray: u8, space_before: f32, space_after: f32) {
        self.space(space_before);
        self.ensure(width + 2.0);
        self.settle();
        let y = self.y + width / 2.0;
        self.op(Op::Line {
            x1: MARGIN_L,
            y1: y,
            x2: MARGIN_L + CONTENT_W,
            y2: y,
            width,
            gray,
        });
        self.y += width;
        self.space(space_after);
    }

    fn break_lines(&self, runs: &[Run], width: f32, p: &Para) -> Vec<Line> {
        let atoms = self.atoms(runs, p);
        let mut lines = Vec::new();
        let mut cur = Line::default();
        let mut spaces: Vec<Frag> = Vec::new();
        for atom in atoms {
            match atom {
                Atom::Break => {
                    cur.last = true;
                    lines.push(std::mem::take(&mut cur));
                    spaces.clear();
                }
                Atom::Space(f) => {
                    if !cur.frags.is_empty() {
                        spaces.push(f);
                    }
                }
                Atom::Word(frags) => {
                    let w: f32 = frags.iter().map(|f| f.width).sum();
                    let sw: f32 = spaces.iter().map(|f| f.width).sum();
                    if !cur.frags.is_empty() && cur.width + sw + w > width + 0.01 {
                        lines.push(std::mem::take(&mut cur));
                        spaces.clear();
                    } else {
                        for s in spaces.drain(..) {
                            cur.spaces += 1;
                            cur.push(s);
                        }
                    }
                    if cur.frags.is_empty() && w > width {
                        // A word wider than the line is broken between characters.
                        for frag in frags {
                            for c in frag.text.chars() {
                                let mut buf = [0u8; 4];
                                let s: &str = c.encode_utf8(&mut buf);
                                let cw = self.fonts.width(s, frag.style, p.size);
                                if !cur.frags.is_empty() && cur.width + cw > width {
                                    lines.push(std::mem::take(&mut cur));
                                }
                                cur.push(Frag {
                                    text: s.to_string(),
                                    style: frag.style,
                                    width: cw,
                                });
                            }
                        }
                    } else {
                        for f in frags {
                            cur.push(f);
                        }
                    }
                }
            }
        }
        cur.last = true;
        if !cur.frags.is_empty() || lines.is_empty() {
            lines.push(cur);
        }
        lines
    }

    fn atoms(&self, runs: &[Run], p: &Para) -> Vec<Atom> {
        let mut atoms = Vec::new();
        let mut word: Vec<Frag> = Vec::new();
        let flush = |word: &mut Vec<Frag>, atoms: &mut Vec<Atom>| {
            if !word.is_empty() {
                for f in word.iter_mut() {
                    f.width = self.fonts.width(&f.text, f.style, p.size);
                }
                atoms.push(Atom::Word(std::mem::take(word)));
            }
        };
        for run in runs {
            let style = p.force.unwrap_or(run.style);
            for c in run.text.chars() {
                match c {
                    '\n' => {
                        flush(&mut word, &mut atoms);
                        atoms.push(Atom::Break);
                    }
                    ' ' | '\t' => {
                        flush(&mut word, &mut atoms);
                        atoms.push(Atom::Space(Frag {
                            text: " ".to_string(),
                            style,
                            width: self.fonts.width(" ", style, p.size),
                        }));
                    }
                    c => match word.last_mut() {
                        Some(f) if f.style == style => f.text.push(c),
                        _ => word.push(Frag {
                            text: c.to_string(),
                            style,
                            width: 0.0,
                        }),
                    },
                }
            }
        }
        flush(&mut word, &mut atoms);
        atoms
    }

    /// Draws every page with krilla; `footer(page, pages)` gives each page's footer lines
    /// (text and alignment), set in 8.5 pt gray below the content area.
    pub fn finish(
        self,
        title: &str,
        footer: &dyn Fn(usize, usize) -> Vec<(String, Align)>,
    ) -> Result<Vec<u8>, ExportError> {
        let fonts = self.fonts;
        let total = self.pages.len();
        let mut document = Document::new();
        // The content of each element of the tag tree, as drawn.
        let mut contents: Vec<Vec<Identifier>> = vec![Vec::new(); self.elements.len()];
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| ExportError::Pdf("invalid page size".into()))?;
        for (index, ops) in self.pages.iter().enumerate() {
            let mut page = document.start_page_with(settings.clone());
            for link in self.links.iter().filter(|l| l.page == index) {
                let (x, y, w, h) = link.rect;
                if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                    let target = XyzDestination::new(
                        link.target.page,
                        Point::from_xy(MARGIN_L, (link.target.y - 6.0).max(0.0)),
                    );
                    page.add_annotation(Annotation::new_link(
                        LinkAnnotation::new(rect, Target::Destination(Destination::Xyz(target))),
                        None,
                    ));
                }
            }
            let mut surface = page.surface();
            let footer_ops = footer(index + 1, total).into_iter().map(|(text, align)| {
                let size = 8.5;
                let w = fonts.width(&text, Style::REGULAR, size);
                let x = match align {
                    Align::Left | Align::Justify => MARGIN_L,
                    Align::Right => MARGIN_L + CONTENT_W - w,
                };
                Op::Text {
                    x,
                    y: PAGE_H - MARGIN_B + 34.0,
                    style: Style::REGULAR,
                    size,
                    text,
                    space_extra: 0.0,
                    gray: 90,
                    tag: None,
                }
            });
            for op in ops.iter().cloned().chain(footer_ops) {
                match op {
                    Op::Text {
                        x,
                        y,
                        style,
                        size,
                        text,
                        space_extra,
                        gray,
                        tag,
                    } => {
                        if text.is_empty() {
                            continue;
                        }
                        let id = match tag {
                            Some(_) => surface.start_tagged(ContentTag::Span(SpanTag::empty())),
                            None => surface.start_tagged(ContentTag::Artifact(Artifact::new(
                                ArtifactType::Footer,
                                None,
                            ))),
                        };
                        let glyphs = fonts.glyphs(&text, style, size, space_extra);
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill {
                            paint: luma::Color::new(gray).into(),
                            ..Fill::default()
                        }));
                        surface.draw_glyphs(
                            Point::from_xy(x, y),
                            &glyphs,
                            fonts.face(style).font.clone(),
                            &text,
                            size,
                            false,
                        );
                        surface.end_tagged();
                        if let Some(list) = tag.and_then(|t| contents.get_mut(t)) {
                            list.push(id);
                        }
                    }
                    Op::Line {
                        x1,
                        y1,
                        x2,
                        y2,
                        width,
                        gray,
                    } => {
                        let mut path = PathBuilder::new();
                        path.move_to(x1, y1);
                        path.line_to(x2, y2);
                        if let Some(path) = path.finish() {
                            surface.start_tagged(ContentTag::Artifact(Artifact::new(
                                ArtifactType::Layout,
                                None,
                            )));
                            surface.set_fill(None);
                            surface.set_stroke(Some(Stroke {
                                paint: luma::Color::new(gray).into(),
                                width,
                                ..Stroke::default()
                            }));
                            surface.draw_path(&path);
                            surface.end_tagged();
                        }
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        document.set_outline(build_outline(&self.outline));
        let mut tree = TagTree::new().with_lang(Some("da".to_string()));
        for root in &self.roots {
            if let Some(group) = tag_group(*root, &self.elements, &mut contents, 0) {
                tree.push(group);
            }
        }
        document.set_tag_tree(tree);
        let mut metadata = Metadata::new()
            .language("da".to_string())
            .creator("Samskriv".to_string())
            .producer("Samskriv (krilla)".to_string());
        if !title.trim().is_empty() {
            metadata = metadata.title(title.to_string());
        }
        document.set_metadata(metadata);
        document
            .finish()
            .map_err(|e| ExportError::Pdf(format!("{e:?}")))
    }
}

/// The tag group of an element and everything in it; `None` when it holds no content.
/// The layout bounds nesting (lists deeper than a few levels are not opened), and so does
/// `depth` here.
fn tag_group(
    id: usize,
    elements: &[Element],
    contents: &mut [Vec<Identifier>],
    depth: usize,
) -> Option<TagGroup> {
    let element = elements.get(id)?;
    let tag: TagKind = match element.role {
        Role::Heading(level) => {
            Tag::Hn(std::num::NonZeroU16::new(u16::from(level.max(1)))?, None).into()
        }
        Role::P => Tag::P.into(),
        Role::List { ordered } => Tag::L(if ordered {
            ListNumbering::Decimal
        } else {
            ListNumbering::Disc
        })
        .into(),
        Role::Item => Tag::LI.into(),
        Role::Label => Tag::Lbl.into(),
        Role::Body => Tag::LBody.into(),
        Role::Quote => Tag::BlockQuote.into(),
        Role::Table => Tag::Table.into(),
        Role::Row => Tag::TR.into(),
        Role::HeaderCell => Tag::TH(TableHeaderScope::Column).into(),
        Role::Cell => Tag::TD.into(),
        Role::Section => Tag::Section.into(),
    };
    let mut group = TagGroup::new(tag);
    let mut empty = true;
    for content in contents.get_mut(id).map(std::mem::take).unwrap_or_default() {
        group.push(content);
        empty = false;
    }
    if depth < 64 {
        for child in &element.children {
            if let Some(g) = tag_group(*child, elements, contents, depth + 1) {
                group.push(g);
                empty = false;
            }
        }
    }
    // Table cells stay even when empty, so that rows keep their columns.
    (!empty || matches!(element.role, Role::Cell | Role::HeaderCell)).then_some(group)
}

/// The outline (bookmarks) as a tree by level.
fn build_outline(entries: &[OutlineEntry]) -> Outline {
    fn node(e: &OutlineEntry) -> OutlineNode {
        OutlineNode::new(
            e.title.clone(),
            XyzDestination::new(e.at.page, Point::from_xy(MARGIN_L, (e.at.y - 6.0).max(0.0))),
        )
    }
    // Each entry takes the entries after it with a higher level as its children.
    fn build(entries: &[OutlineEntry], pos: &mut usize, parent: Option<u8>) -> Vec<OutlineNode> {
        let mut nodes = Vec::new();
        while let Some(e) = entries.get(*pos) {
            if parent.is_some_and(|p| e.level <= p) {
                break;
            }
            *pos += 1;
            let mut n = node(e);
            for child in build(entries, pos, Some(e.level)) {
                n.push_child(child);
            }
            nodes.push(n);
        }
        nodes
    }
    let mut outline = Outline::new();
    let mut pos = 0;
    for n in build(entries, &mut pos, None) {
        outline.push_child(n);
    }
    outline
}
