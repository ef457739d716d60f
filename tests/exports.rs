//! Exports read back by real tools: DOCX through LibreOffice headless (Debian's
//! libreoffice-writer), PDF through pdftotext (Debian's poppler-utils), compared with the
//! document's own text — æ ø å, headings, list items and their order, the minutes' items,
//! attachments and table of contents. A missing tool is a failure, not a skip: scripts/test.sh
//! installs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use samskriv::export::minutes::{self, AgendaItem, Attachment, Kind};
use samskriv::export::{DocumentInfo, docx, html, pdf, sample};
use samskriv::model::{Block, BlockKind, Blocks, Inline, Marks};

/// A program on PATH, or a failure that says how to install it.
fn tool(name: &str, package: &str) -> PathBuf {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([PathBuf::from("/usr/bin")])
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "{name} is not installed: these tests read exports back with it. Install \
                 Debian's {package} (`apt-get install {package}`; scripts/test.sh does)."
            )
        })
}

/// Runs a command to its end (at most two minutes) and returns its stdout; fails loudly.
fn run(cmd: &mut Command) -> Vec<u8> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Ok(None) => {
                let _ = child.kill();
                panic!("{cmd:?} did not finish within two minutes");
            }
            Err(e) => panic!("waiting for {cmd:?}: {e}"),
        }
    }
    let out = child.wait_with_output().expect("output");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// LibreOffice converts `input` (in `dir`) with `filter`; returns the output file's bytes.
/// Each call has its own user profile, so that tests can run side by side.
fn soffice(dir: &Path, input: &str, filter: &str, extension: &str) -> Vec<u8> {
    let bin = tool("soffice", "libreoffice-writer-nogui");
    let profile = dir.join("lo-profile");
    let out = dir.join("lo-out");
    run(Command::new(bin)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            filter,
            "--outdir",
        ])
        .arg(&out)
        .arg(dir.join(input)));
    let stem = input.rsplit_once('.').map_or(input, |(s, _)| s);
    let path = out.join(format!("{stem}.{extension}"));
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!("LibreOffice wrote no {}: {e}", path.display());
    })
}

/// The text of a PDF (pages `first..=last` if given), as pdftotext gives it.
fn pdftotext(path: &Path, pages: Option<(usize, usize)>, layout: bool) -> String {
    let bin = tool("pdftotext", "poppler-utils");
    let mut cmd = Command::new(bin);
    cmd.args(["-enc", "UTF-8"]);
    if layout {
        cmd.arg("-layout");
    }
    if let Some((f, l)) = pages {
        cmd.args(["-f", &f.to_string(), "-l", &l.to_string()]);
    }
    cmd.arg(path).arg("-");
    String::from_utf8(run(&mut cmd)).expect("pdftotext gives UTF-8")
}

fn page_count(path: &Path) -> usize {
    let bin = tool("pdfinfo", "poppler-utils");
    let info = String::from_utf8_lossy(&run(Command::new(bin).arg(path))).to_string();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo gave no page count: {info}"))
}

/// Whitespace collapsed to single spaces (line wrapping and layout differ between tools).
fn norm(text: &str) -> String {
    text.trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Asserts that every expected string occurs in `haystack`, each after the one before it.
fn assert_in_order(haystack: &str, expected: &[String], what: &str) {
    let hay = norm(haystack);
    let mut from = 0;
    for e in expected {
        let e = norm(e);
        match hay[from..].find(&e) {
            Some(at) => from += at + e.len(),
            None => {
                let rest: String = hay[from..].chars().take(3000).collect();
                panic!(
                    "{what}: {e:?} is missing or out of order.\nText after the last match:\n{rest}"
                )
            }
        }
    }
}

fn inline(text: &str, bold: bool, italic: bool) -> Inline {
    Inline {
        text: text.into(),
        marks: Marks {
            bold,
            italic,
            provenance: None,
        },
    }
}

fn block(kind: BlockKind, text: &str) -> Block {
    Block {
        kind,
        inlines: vec![inline(text, false, false)],
    }
}

/// A document with the characters that go wrong: Danish letters, other Latin-1 and
/// typographic characters, markup characters, and every kind of block.
fn awkward() -> (Blocks, DocumentInfo) {
    use BlockKind::*;
    let doc = Blocks {
        blocks: vec![
            block(Heading { level: 1 }, "Æbleøen på Ærø — høringssvar"),
            Block {
                kind: Paragraph,
                inlines: vec![
                    inline("Blåbærgrød, ", false, false),
                    inline("søstjerne", true, false),
                    inline(" og ", false, false),
                    inline("ÆØÅ æøå", false, true),
                    inline(
                        " · café, über, Straße, naïve, £ 5 € 10 § 3 ½ °C",
                        true,
                        true,
                    ),
                ],
            },
            block(
                Paragraph,
                "Tegn der skal undslippes: <b>fed</b> & \"citat\" 'apostrof' * _ # [x]",
            ),
            block(Heading { level: 2 }, "Ønsker til planen"),
            block(
                ListItem {
                    ordered: true,
                    depth: 0,
                },
                "Første ønske om trivsel",
            ),
            block(
                ListItem {
                    ordered: false,
                    depth: 1,
                },
                "underpunkt å",
            ),
            block(
                ListItem {
                    ordered: false,
                    depth: 1,
                },
                "underpunkt ø",
            ),
            block(
                ListItem {
                    ordered: true,
                    depth: 0,
                },
                "Andet ønske om økonomi",
            ),
            block(Heading { level: 3 }, "Citat fra LMU SBU"),
            block(Quote, "Vi savner et afsnit om rekruttering."),
            block(Paragraph, "Med venlig hilsen\nHMU-formandskabet"),
        ],
    };
    let info = DocumentInfo {
        title: "Høringssvar — Ærø og Østjylland".into(),
        committee: Some("HMU Socialområdet".into()),
        version: Some("Version 2".into()),
        approved_by: vec!["Ann-Britt Wetche".into(), "Søren Ågård".into()],
        approved_at: Some("2. oktober 2023 kl. 10:15".into()),
        sha256: Some(html::sha256_hex(html::canonical(&doc).as_bytes())),
    };
    (doc, info)
}

/// The header lines and every block's text, in order.
fn expected_text(doc: &Blocks, info: &DocumentInfo) -> Vec<String> {
    let mut out = vec![info.title.clone()];
    if let Some(c) = &info.committee {
        out.push(format!("Udvalg: {c}"));
    }
    if let Some(v) = &info.version {
        out.push(format!("Version: {v}"));
    }
    out.push(format!("Godkendt af: {}", info.approved_by.join(", ")));
    if let Some(a) = &info.approved_at {
        out.push(format!("Godkendt: {a}"));
    }
    if let Some(h) = &info.sha256 {
        out.push(format!("SHA-256: {h}"));
    }
    out.extend(doc.blocks.iter().map(Block::text));
    out
}

#[test]
fn pdf_text_extracts_exactly_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, (doc, info)) in [("awkward", awkward()), ("sample", sample::joint_response())] {
        for justify in [false, true] {
            let bytes =
                pdf::document_with(&doc, &info, pdf::PdfOptions { justify }).expect("PDF written");
            let path = dir.path().join(format!("{name}-{justify}.pdf"));
            std::fs::write(&path, &bytes).expect("write");
            let text = pdftotext(&path, None, false);
            assert_in_order(&text, &expected_text(&doc, &info), &format!("{name} PDF"));
            assert!(text.contains("Side 1 af 1"), "no page number in {text}");
        }
    }
    // The list markers and their numbering: 1, bullets under it, 2.
    let (doc, info) = awkward();
    let path = dir.path().join("markers.pdf");
    std::fs::write(&path, pdf::document(&doc, &info).expect("PDF")).expect("write");
    let text = pdftotext(&path, None, false);
    assert_in_order(
        &text,
        &[
            "1. Første ønske".into(),
            // Bullets one level down are dashes.
            "– underpunkt å".into(),
            "– underpunkt ø".into(),
            "2. Andet ønske".into(),
        ],
        "list markers",
    );
}

#[test]
fn pdf_embeds_its_fonts_and_numbers_its_pages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let paragraphs: Vec<String> = (1..=150)
        .map(|i| format!("Afsnit {i}: Høringssvaret fra LMU'en om trivsel, økonomi og ånd."))
        .collect();
    let doc = minutes::paragraphs(&paragraphs);
    let info = DocumentInfo {
        title: "Langt høringssvar".into(),
        ..Default::default()
    };
    let path = dir.path().join("long.pdf");
    std::fs::write(&path, pdf::document(&doc, &info).expect("PDF")).expect("write");
    let pages = page_count(&path);
    assert!(pages >= 4, "150 paragraphs on {pages} pages");
    let last = pdftotext(&path, Some((pages, pages)), false);
    assert!(
        last.contains(&format!("Side {pages} af {pages}")),
        "last page: {last}"
    );
    assert_in_order(
        &pdftotext(&path, None, false),
        &paragraphs,
        "long PDF, across pages",
    );
    let fonts = String::from_utf8_lossy(&run(
        Command::new(tool("pdffonts", "poppler-utils")).arg(&path)
    ))
    .to_string();
    // Every font embedded ("emb"), subset ("sub") and with a ToUnicode map ("uni").
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts: {fonts}");
    for row in rows {
        assert!(row.contains("LiberationSans"), "{row}");
        assert!(
            row.contains("yes yes yes"),
            "not embedded/subset/unicode: {row}"
        );
    }
}

#[test]
fn docx_reads_back_in_libreoffice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (doc, info) = awkward();
    std::fs::write(
        dir.path().join("awkward.docx"),
        docx::document(&doc, &info).expect("DOCX"),
    )
    .expect("write");
    let text = String::from_utf8(soffice(dir.path(), "awkward.docx", "txt:Text", "txt"))
        .expect("UTF-8 text");
    assert_in_order(&text, &expected_text(&doc, &info), "DOCX as text");
    // Real numbering: the ordered items are numbered 1 and 2 around the nested bullets.
    assert_in_order(
        &text,
        &[
            "1. Første ønske".into(),
            "underpunkt å".into(),
            "underpunkt ø".into(),
            "2. Andet ønske".into(),
        ],
        "DOCX list numbering",
    );

    // Through LibreOffice's HTML export: headings are real heading styles and the lists are
    // real (nested) lists.
    let xhtml = String::from_utf8(soffice(
        dir.path(),
        "awkward.docx",
        "html:XHTML Writer File:UTF8",
        "html",
    ))
    .expect("UTF-8 HTML");
    let flat = norm(&xhtml);
    for (level, heading) in [
        (1, "Æbleøen på Ærø — høringssvar"),
        (2, "Ønsker til planen"),
        (3, "Citat fra LMU SBU"),
    ] {
        let open = format!("<h{level} class=\"Heading_20_{level}\"");
        let at = flat
            .find(&open)
            .unwrap_or_else(|| panic!("no heading {level} in {flat}"));
        let end = flat[at..]
            .find(&format!("</h{level}>"))
            .map_or(flat.len(), |e| at + e);
        assert!(
            flat[at..end].contains(heading),
            "heading {level} is not {heading:?}: {}",
            &flat[at..end]
        );
    }
    let ol = flat.find("<ol").expect("an ordered list");
    let ul = flat[ol..]
        .find("<ul")
        .map(|u| ol + u)
        .expect("a nested bullet list");
    let first = flat.find("Første ønske").expect("first item");
    let second = flat.find("Andet ønske").expect("second item");
    let nested = flat.find("underpunkt å").expect("nested item");
    assert!(
        ol < first && first < ul && ul < nested && nested < second,
        "{flat}"
    );
}

#[test]
fn sample_response_docx_and_pdf_agree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (doc, info) = sample::joint_response();
    std::fs::write(
        dir.path().join("svar.docx"),
        docx::document(&doc, &info).expect("DOCX"),
    )
    .expect("write");
    // LibreOffice renders the DOCX to PDF; pdftotext reads it back.
    std::fs::write(
        dir.path().join("svar-lo.pdf"),
        soffice(dir.path(), "svar.docx", "pdf", "pdf"),
    )
    .expect("write");
    let text = pdftotext(&dir.path().join("svar-lo.pdf"), None, false);
    assert_in_order(
        &text,
        &expected_text(&doc, &info),
        "DOCX rendered by LibreOffice",
    );
    assert!(text.contains("Side 1 af 1"), "footer page fields: {text}");
}

fn item_heading(item: &AgendaItem) -> String {
    match item.time {
        Some(t) => format!("{}. {} ({})", item.number, item.title, t.danish()),
        None => format!("{}. {}", item.number, item.title),
    }
}

fn attachment_titles(list: &[Attachment], out: &mut Vec<String>) {
    for a in list {
        out.push(a.title.clone());
        attachment_titles(&a.children, out);
    }
}

#[test]
fn minutes_pdf_has_every_item_attachment_and_right_page_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (meeting, items) = sample::minutes_2023_09_25(Kind::Minutes);
    let path = dir.path().join("referat.pdf");
    std::fs::write(&path, minutes::pdf(&meeting, &items).expect("PDF")).expect("write");
    let text = pdftotext(&path, None, false);

    // The front page, in the seeds' order.
    assert_in_order(
        &text,
        &[
            "11. oktober 2023".into(),
            "/MELAR1".into(),
            "Referat".into(),
            "til".into(),
            "møde i HMU Socialområdet".into(),
            "25. september 2023 kl. 14:00-15:00".into(),
            "i Virtuelt møde".into(),
            "Indholdsfortegnelse".into(),
        ],
        "front page",
    );

    // Every item with all its parts, and every attachment, in order.
    let mut expected = Vec::new();
    for item in &items {
        if let Some(case) = &item.case_number {
            expected.push(format!("Sagsnr. {case}"));
        }
        expected.push(item_heading(item));
        if !item.recommendation.is_empty() {
            expected.push("Det indstilles, at HMU".into());
            expected.extend(item.recommendation.iter().cloned());
        }
        if !item.presentation.blocks.is_empty() {
            expected.push("Sagsfremstilling".into());
            expected.extend(item.presentation.blocks.iter().map(Block::text));
        }
        expected.push("Beslutning".into());
        expected.extend(item.decision.blocks.iter().map(Block::text));
        if !item.attachments.is_empty() {
            expected.push("Bilag".into());
            attachment_titles(&item.attachments, &mut expected);
        }
    }
    assert_in_order(&text, &expected, "minutes items");
    for lmu in sample::LMUS {
        assert!(
            norm(&text).contains(&format!("LMU Høringssvar fra {lmu}")),
            "attachment of {lmu} missing"
        );
    }

    // The table of contents gives the page each item starts on.
    let toc = pdftotext(&path, Some((1, 1)), true);
    let pages = page_count(&path);
    for item in &items {
        let heading = norm(&item_heading(item));
        let page = (1..=pages)
            .find(|p| norm(&pdftotext(&path, Some((*p, *p)), false)).contains(&heading))
            .unwrap_or_else(|| panic!("item {} is on no page", item.number));
        let row = toc
            .lines()
            .find(|l| {
                let cols: Vec<&str> = l.split_whitespace().collect();
                cols.first() == Some(&item.number.to_string().as_str())
                    && cols.get(1).is_some_and(|w| item.title.starts_with(w))
            })
            .unwrap_or_else(|| panic!("no row for item {} in\n{toc}", item.number));
        assert_eq!(
            row.split_whitespace().last(),
            Some(page.to_string().as_str()),
            "item {} starts on page {page}; its row says {row:?}",
            item.number
        );
    }
}

#[test]
fn agenda_pdf_has_no_decisions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (meeting, items) = sample::minutes_2023_09_25(Kind::Agenda);
    let path = dir.path().join("dagsorden.pdf");
    std::fs::write(&path, minutes::pdf(&meeting, &items).expect("PDF")).expect("write");
    let text = norm(&pdftotext(&path, None, false));
    assert!(text.contains("Dagsorden til møde i HMU Socialområdet"));
    assert!(!text.contains("Beslutning"), "an agenda has no decisions");
    assert!(!text.contains("Intet blev ført til eventuelt"));
    for item in &items {
        assert!(
            text.contains(&norm(&item_heading(item))),
            "item {}",
            item.number
        );
    }
}

#[test]
fn minutes_html_page_links_every_item() {
    let (meeting, items) = sample::minutes_2023_09_25(Kind::Minutes);
    let page = minutes::html(&meeting, &items);
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"da\">"));
    for item in &items {
        let id = format!("punkt-{}", item.number);
        assert!(
            page.contains(&format!("<a href=\"#{id}\">")),
            "toc link {id}"
        );
        assert!(
            page.contains(&format!("<section class=\"punkt\" id=\"{id}\">")),
            "{id}"
        );
    }
    let mut titles = Vec::new();
    for item in &items {
        attachment_titles(&item.attachments, &mut titles);
    }
    for t in titles {
        assert!(page.contains(&format!("<li>{t}")), "attachment {t}");
    }
    // The joint response's LMU responses are nested under it.
    let joint = page
        .find("<li>Udkast - Høringssvar HMU")
        .expect("joint response");
    let nested = page[joint..]
        .find("<ul>\n<li>LMU Høringssvar fra SVO")
        .expect("nested");
    assert!(!page[joint..joint + nested].contains("</li>"));
}

/// The structure tree as poppler reads it (`pdfinfo -struct-text`), whitespace collapsed.
fn structure(path: &Path) -> String {
    let out = run(Command::new(tool("pdfinfo", "poppler-utils"))
        .arg("-struct-text")
        .arg(path));
    norm(&String::from_utf8_lossy(&out))
}

#[test]
fn pdfs_are_tagged_for_screen_readers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (doc, info) = awkward();
    let path = dir.path().join("tagged.pdf");
    std::fs::write(&path, pdf::document(&doc, &info).expect("PDF")).expect("write");
    let info_text = String::from_utf8_lossy(&run(
        Command::new(tool("pdfinfo", "poppler-utils")).arg(&path)
    ))
    .to_string();
    assert!(
        info_text.lines().any(|l| norm(l) == "Tagged: yes"),
        "{info_text}"
    );
    let tree = structure(&path);
    // The title is H1, the document's headings one level below, in order; the list is a
    // decimal list whose first item has a label, a body and a nested bullet list.
    assert_in_order(
        &tree,
        &[
            "H1 (block) \"Høringssvar — Ærø og Østjylland\"".into(),
            "H2 (block) \"Æbleøen på Ærø — høringssvar\"".into(),
            "H3 (block) \"Ønsker til planen\"".into(),
            "L (block): /ListNumbering /Decimal LI (block) Lbl (block) \"1.\" LBody (block) P (block) \"Første ønske om trivsel\"".into(),
            "L (block): /ListNumbering /Disc LI (block) Lbl (block) \"–\" LBody (block) P (block) \"underpunkt å\"".into(),
            "Lbl (block) \"2.\" LBody (block) P (block) \"Andet ønske om økonomi\"".into(),
            "H4 (block) \"Citat fra LMU SBU\"".into(),
            "BlockQuote P (block) \"Vi savner et afsnit om rekruttering.\"".into(),
        ],
        "tag tree of a document",
    );
    // Page furniture (the footer) is an artifact, not content.
    assert!(!tree.contains("Side 1 af 1"), "{tree}");

    let (meeting, items) = sample::minutes_2023_09_25(Kind::Minutes);
    let path = dir.path().join("referat.pdf");
    std::fs::write(&path, minutes::pdf(&meeting, &items).expect("PDF")).expect("write");
    let tree = structure(&path);
    assert_in_order(
        &tree,
        &[
            "H1 (block) \"Referat\"".into(),
            "H2 (block) \"Indholdsfortegnelse\"".into(),
            "Table (block) TR TH: /Scope /Column \"Pkt.\"".into(),
            "TD \"1\" TD \"Velkomst".into(),
            "Sect P (block) \"Sagsnr. 1-13-3-105-22\"".into(),
            "H2 (block) \"2. Drøftelse".into(),
            "H3 (block) \"Bilag\" L (block): /ListNumbering /Disc LI (block) Lbl (block) \"•\" LBody (block) P (block) \"Udkast - Høringssvar HMU".into(),
            "LI (block) Lbl (block) \"–\" LBody (block) P (block) \"LMU Høringssvar fra SVO\"".into(),
        ],
        "tag tree of the minutes",
    );
}
