//! Writes every export of the sample joint response and of the seed minutes of
//! 25 September 2023 into a directory (default `exports/`), to look at:
//!
//! ```text
//! cargo run --example exports -- /tmp/exports
//! ```

use samskriv::export::{docx, html, markdown, minutes, pdf, sample};

fn main() -> anyhow::Result<()> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "exports".into()));
    std::fs::create_dir_all(&dir)?;
    let (doc, info) = sample::joint_response();
    let write = |name: &str, bytes: &[u8]| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, bytes)?;
        println!("{}", path.display());
        Ok(())
    };
    write(
        "hoeringssvar.canonical.html",
        html::canonical(&doc).as_bytes(),
    )?;
    write("hoeringssvar.html", html::page(&doc, &info).as_bytes())?;
    write("hoeringssvar.md", markdown::markdown(&doc).as_bytes())?;
    write("hoeringssvar.pdf", &pdf::document(&doc, &info)?)?;
    write(
        "hoeringssvar-lige-margener.pdf",
        &pdf::document_with(&doc, &info, pdf::PdfOptions { justify: true })?,
    )?;
    write("hoeringssvar.docx", &docx::document(&doc, &info)?)?;
    for kind in [minutes::Kind::Minutes, minutes::Kind::Agenda] {
        let (meeting, items) = sample::minutes_2023_09_25(kind);
        let name = match kind {
            minutes::Kind::Minutes => "referat-2023-09-25",
            minutes::Kind::Agenda => "dagsorden-2023-09-25",
        };
        write(
            &format!("{name}.html"),
            minutes::html(&meeting, &items).as_bytes(),
        )?;
        write(&format!("{name}.pdf"), &minutes::pdf(&meeting, &items)?)?;
    }
    Ok(())
}
