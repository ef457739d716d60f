//! The embedded font family (Liberation Sans, SIL OFL 1.1, assets/fonts/) and its metrics.

use std::sync::OnceLock;

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Italic.ttf");
static BOLD_ITALIC: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-BoldItalic.ttf");

/// One of the four faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct Style {
    pub bold: bool,
    pub italic: bool,
}

impl Style {
    pub const REGULAR: Style = Style {
        bold: false,
        italic: false,
    };
    pub const BOLD: Style = Style {
        bold: true,
        italic: false,
    };
}

pub(crate) struct Face {
    pub font: Font,
    charmap: Charmap<'static>,
    advances: GlyphMetrics<'static>,
    units_per_em: f32,
}

pub(crate) struct Fonts {
    faces: [Face; 4],
}

impl Face {
    fn load(data: &'static [u8]) -> Option<Face> {
        let font_ref = FontRef::new(data).ok()?;
        let units_per_em = f32::from(
            font_ref
                .metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        )
        .max(1.0);
        let font = Font::new(data.to_vec().into(), 0)?;
        Some(Face {
            font,
            charmap: font_ref.charmap(),
            advances: font_ref.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
        })
    }

    /// The glyph for a character (0, the "missing" glyph, when the font has none) and its
    /// advance in em.
    fn glyph(&self, c: char) -> (u32, f32) {
        let gid = self.charmap.map(c).unwrap_or_default();
        let advance = self.advances.advance_width(gid).unwrap_or(0.0);
        (gid.to_u32(), advance / self.units_per_em)
    }

    pub fn has(&self, c: char) -> bool {
        self.charmap.map(c).is_some()
    }
}

impl Fonts {
    /// The family, parsed once per process. `None` only if the embedded files were corrupt.
    pub fn get() -> Option<&'static Fonts> {
        static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
        FONTS
            .get_or_init(|| {
                Some(Fonts {
                    faces: [
                        Face::load(REGULAR)?,
                        Face::load(BOLD)?,
                        Face::load(ITALIC)?,
                        Face::load(BOLD_ITALIC)?,
                    ],
                })
            })
            .as_ref()
    }

    pub fn face(&self, style: Style) -> &Face {
        &self.faces[usize::from(style.bold) + 2 * usize::from(style.italic)]
    }

    /// The width of `text` in points.
    pub fn width(&self, text: &str, style: Style, size: f32) -> f32 {
        let face = self.face(style);
        text.chars().map(|c| face.glyph(c).1).sum::<f32>() * size
    }

    /// The glyphs of `text`, one per character (no kerning or ligatures: each glyph maps back
    /// to exactly its character, which keeps text extraction exact). `space_extra` points are
    /// added to every space (justification).
    pub fn glyphs(
        &self,
        text: &str,
        style: Style,
        size: f32,
        space_extra: f32,
    ) -> Vec<KrillaGlyph> {
        let face = self.face(style);
        let extra = if size > 0.0 { space_extra / size } else { 0.0 };
        text.char_indices()
            .map(|(i, c)| {
                let (gid, advance) = face.glyph(c);
                let advance = if c == ' ' { advance + extra } else { advance };
                KrillaGlyph::new(
                    GlyphId::new(gid),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }
}
