//! Benchmarks of the document model: reading a 100-page response from yrs, diffing two of its
//! versions (plain and attributed, and the HTML), the provenance report over nine LMU responses
//! and a joint response, and the alignment of the consolidation workspace.
//!
//! ```sh
//! cargo bench --bench model                 # all, with criterion's defaults
//! cargo bench --bench model -- diff         # only the diffs
//! ```
//!
//! Method and results: docs/benchmarks-model.md. The documents are generated here, from a fixed
//! seed, with Danish-like text.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use samskriv::model::diff::{Attribution, diff, diff_attributed, render_html};
use samskriv::model::provenance::{LmuResponse, align, report};
use samskriv::model::read::{read, read_with_ids};
use samskriv::model::write::insert_blocks;
use samskriv::model::{Block, BlockKind, Blocks, Inline, Marks, Provenance};
use yrs::updates::decoder::Decode;
use yrs::{Doc, GetString, Options, ReadTxn, Text, Transact, XmlFragment};

// ---------------------------------------------------------------------------------------------
// Generated documents

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Danish function words, used for about two words in five.
const FUNCTION: &[&str] = &[
    "og", "i", "at", "på", "af", "til", "for", "med", "der", "som", "skal", "kan", "ikke", "det",
    "en", "et", "om", "vi", "de", "den", "er", "har", "bliver", "også", "men", "eller", "når",
];

/// Danish stems and endings: combined into a vocabulary of a few thousand words, drawn with
/// Zipf's law as real text is, so that unrelated paragraphs share mostly common words.
const ROOTS: &[&str] = &[
    "medarbejd",
    "arbejdsmiljø",
    "borg",
    "plan",
    "implementer",
    "økonomi",
    "botilbud",
    "pårørend",
    "kompetenc",
    "udvikl",
    "høring",
    "ledels",
    "dokumentation",
    "digitaliser",
    "vision",
    "samarbejd",
    "ramm",
    "trivsel",
    "sygefravær",
    "rekrutter",
    "fastholdels",
    "nattevagt",
    "budget",
    "indsats",
    "opgav",
    "faglig",
    "ressourc",
    "tillid",
    "dialog",
    "kvalitet",
    "sammenhæng",
    "ansvar",
    "mål",
    "tid",
    "region",
    "kommun",
    "social",
    "psykiatri",
    "handicap",
    "misbrug",
    "bolig",
    "uddannels",
    "elev",
    "praktik",
    "vagt",
    "normering",
    "lønn",
    "overenskomst",
    "sikkerhed",
    "tilsyn",
    "beboer",
    "tilbud",
    "visitation",
    "pædagog",
    "sundhed",
    "trivs",
    "forebyg",
    "evaluer",
    "prioriter",
    "understøt",
    "inddrag",
    "styrk",
    "sikr",
    "følg",
    "besparels",
    "investering",
    "struktur",
    "organisation",
    "afdeling",
    "enhed",
    "team",
    "leder",
    "tillidsrepræsentant",
    "arbejdstid",
    "weekend",
    "transport",
    "it-system",
    "journal",
    "data",
    "proces",
    "høringssvar",
];
const ENDINGS: &[&str] = &[
    "", "e", "en", "et", "er", "erne", "ing", "ingen", "else", "elsen", "ende", "es", "s", "et",
];

fn vocabulary() -> Vec<String> {
    let mut words = Vec::new();
    for (k, root) in ROOTS.iter().enumerate() {
        for ending in ENDINGS {
            words.push(format!("{root}{ending}"));
        }
        // Danish compounds join nouns with -s- ("arbejdstidsregler"): each root with every
        // third later one gives a vocabulary of a few thousand words, as real responses have.
        for other in ROOTS.iter().skip(k + 1).step_by(3) {
            words.push(format!("{root}s{other}"));
        }
    }
    words
}

/// A word: a function word two times in five, else a content word of Zipf-distributed rank.
fn word<'a>(rng: &mut Rng, vocabulary: &'a [String]) -> &'a str {
    if rng.chance(40) {
        return FUNCTION[rng.below(FUNCTION.len())];
    }
    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    let rank = (vocabulary.len() as f64).powf(u) as usize;
    vocabulary
        .get(rank.saturating_sub(1))
        .map_or("og", String::as_str)
}

thread_local! {
    static VOCABULARY: Vec<String> = vocabulary();
}

fn sentence(rng: &mut Rng) -> String {
    VOCABULARY.with(|vocabulary| {
        let n = 8 + rng.below(12);
        let mut s = String::new();
        for k in 0..n {
            if k > 0 {
                s.push_str(if rng.chance(6) { ", " } else { " " });
            }
            let w = word(rng, vocabulary);
            if k == 0 {
                let mut c = w.chars();
                if let Some(first) = c.next() {
                    s.extend(first.to_uppercase());
                    s.push_str(c.as_str());
                }
            } else {
                s.push_str(w);
            }
        }
        s.push('.');
        s
    })
}

fn paragraph_text(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences)
        .map(|_| sentence(rng))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A response of about `bytes` bytes of text: headings every eight or so blocks, paragraphs of
/// two to five sentences, bullet lists, some bold and italic.
fn response(rng: &mut Rng, bytes: usize) -> Blocks {
    let mut blocks = Vec::new();
    let mut size = 0;
    let mut section = 1;
    while size < bytes {
        let block = if blocks.is_empty() || rng.chance(12) {
            section += 1;
            Block::plain(
                BlockKind::Heading { level: 2 },
                &format!("{section}. {}", sentence(rng)),
            )
        } else if rng.chance(20) {
            Block::plain(
                BlockKind::ListItem {
                    ordered: false,
                    depth: rng.below(2) as u8,
                },
                &sentence(rng),
            )
        } else {
            let text = {
                let n = 2 + rng.below(4);
                paragraph_text(rng, n)
            };
            let mut block = Block::plain(BlockKind::Paragraph, &text);
            if rng.chance(25)
                && let Some((at, _)) = text.char_indices().nth(text.chars().count() / 2)
            {
                let (a, b) = text.split_at(at);
                block.inlines = vec![
                    Inline {
                        text: a.into(),
                        marks: Marks::default(),
                    },
                    Inline {
                        text: b.into(),
                        marks: Marks {
                            bold: true,
                            ..Marks::default()
                        },
                    },
                ];
            }
            block
        };
        size += block.text().len();
        blocks.push(block);
    }
    // Depth 1 only after a list item.
    Blocks { blocks }.normalized()
}

/// Realistic edits between two versions: words changed in one paragraph in ten, ten
/// paragraphs moved (some then edited), twenty inserted, twenty deleted.
fn edited(rng: &mut Rng, old: &Blocks) -> Blocks {
    let mut blocks = old.blocks.clone();
    for block in blocks.iter_mut() {
        if block.kind == BlockKind::Paragraph && rng.chance(10) {
            let text = block.text();
            let mut words: Vec<String> = text.split(' ').map(str::to_owned).collect();
            for _ in 0..1 + rng.below(3) {
                let k = rng.below(words.len());
                words[k] = VOCABULARY.with(|v| word(rng, v).to_owned());
            }
            *block = Block::plain(block.kind, &words.join(" "));
        }
    }
    for _ in 0..10 {
        let from = rng.below(blocks.len());
        let mut block = blocks.remove(from);
        if rng.chance(30) {
            block = Block::plain(block.kind, &block.text().replacen(' ', " nu ", 1));
        }
        let to = rng.below(blocks.len());
        blocks.insert(to, block);
    }
    for _ in 0..20 {
        let at = rng.below(blocks.len());
        blocks.remove(at);
    }
    for _ in 0..20 {
        let at = rng.below(blocks.len() + 1);
        let text = {
            let n = 2 + rng.below(3);
            paragraph_text(rng, n)
        };
        blocks.insert(at, Block::plain(BlockKind::Paragraph, &text));
    }
    Blocks { blocks }.normalized()
}

/// The hundred-page response in a yrs document written by one client, and edited by another
/// the way the second version differs from the first (through real Y.XmlText edits on a
/// tenth of the paragraphs, and new paragraphs).
fn documents(rng: &mut Rng, v1: &Blocks) -> (Doc, Doc) {
    let a = Doc::with_options(Options {
        client_id: yrs::ClientID::new(1),
        ..Options::default()
    });
    insert_blocks(&mut a.transact_mut(), 0, v1).expect("insert");
    let b = Doc::with_options(Options {
        client_id: yrs::ClientID::new(2),
        ..Options::default()
    });
    let update = a
        .transact()
        .encode_state_as_update_v1(&yrs::StateVector::default());
    b.transact_mut()
        .apply_update(yrs::Update::decode_v1(&update).expect("decode"))
        .expect("apply");
    let f = b.get_or_insert_xml_fragment("default");
    let n = f.len(&b.transact());
    for k in 0..n {
        if !rng.chance(10) {
            continue;
        }
        let mut txn = b.transact_mut();
        let Some(yrs::XmlOut::Element(e)) = f.get(&txn, k) else {
            continue;
        };
        if e.tag().as_ref() != "paragraph" {
            continue;
        }
        let Some(yrs::XmlOut::Text(t)) = e.get(&txn, 0) else {
            continue;
        };
        let len = t.get_string(&txn).len() as u32;
        if len > 20 {
            t.remove_range(&mut txn, 0, 6);
            t.insert(&mut txn, 0, "Ændret ");
        }
    }
    for k in 0..20 {
        let extra = Blocks {
            blocks: vec![Block::plain(BlockKind::Paragraph, &paragraph_text(rng, 3))],
        };
        let at = (k * 37) % (n as usize);
        insert_blocks(&mut b.transact_mut(), at as u32, &extra).expect("insert");
    }
    (a, b)
}

/// A rewording: an introduction, the sentences in reverse order, one word in five replaced.
fn reword(rng: &mut Rng, text: &str) -> String {
    let mut sentences: Vec<&str> = text.split(". ").collect();
    sentences.reverse();
    let words: Vec<String> = sentences
        .join(". ")
        .split(' ')
        .map(|w| {
            if rng.chance(20) {
                VOCABULARY.with(|v| word(rng, v).to_owned())
            } else {
                w.to_owned()
            }
        })
        .collect();
    format!("HMU bemærker, at {}", words.join(" "))
}

/// Nine LMU responses of five pages and a ten-page joint response built from them: passages
/// taken with their provenance mark (a third of them reworded), and text typed by hand.
fn hearing(rng: &mut Rng) -> (Blocks, Vec<LmuResponse>) {
    const PAGE: usize = 3000;
    let lmus: Vec<LmuResponse> = samskriv::export::sample::LMUS
        .iter()
        .enumerate()
        .map(|(k, c)| LmuResponse {
            committee: (*c).to_owned(),
            version: k as i64 + 1,
            blocks: response(rng, 5 * PAGE),
        })
        .collect();
    let mut joint = Vec::new();
    let mut size = 0;
    while size < 10 * PAGE {
        let block = if rng.chance(10) {
            Block::plain(BlockKind::Heading { level: 2 }, &sentence(rng))
        } else if rng.chance(70) {
            let r = rng.below(lmus.len());
            let source = &lmus[r].blocks.blocks;
            let b = rng.below(source.len());
            let mut text = source[b].text();
            if rng.chance(33) {
                text = reword(rng, &text);
            }
            Block {
                kind: BlockKind::Paragraph,
                inlines: vec![Inline {
                    text,
                    marks: Marks {
                        provenance: Some(Provenance {
                            committee: lmus[r].committee.clone(),
                            version: lmus[r].version,
                            block: b as u32,
                        }),
                        ..Marks::default()
                    },
                }],
            }
        } else {
            Block::plain(BlockKind::Paragraph, &paragraph_text(rng, 3))
        };
        size += block.text().len();
        joint.push(block);
    }
    (Blocks { blocks: joint }, lmus)
}

// ---------------------------------------------------------------------------------------------

fn benches(c: &mut Criterion) {
    let mut rng = Rng(0x5eed_5a45_c21f);
    let v1 = response(&mut rng, 300_000);
    let v2 = edited(&mut rng, &v1);
    eprintln!(
        "100-page response: {} blocks, {} bytes of text; version 2: {} blocks",
        v1.blocks.len(),
        v1.blocks.iter().map(|b| b.text().len()).sum::<usize>(),
        v2.blocks.len()
    );

    c.bench_function("diff/100 pages", |b| {
        b.iter(|| diff(black_box(&v1), black_box(&v2)))
    });
    let d = diff(&v1, &v2);
    eprintln!("diff: {}", d.summary.text);
    // The worst case: every block different (another response of the same size).
    let other = response(&mut Rng(0x0dd_5eed), 300_000);
    c.bench_function("diff/100 pages against 100 other pages", |b| {
        b.iter(|| diff(black_box(&v1), black_box(&other)))
    });
    c.bench_function("diff/100 pages, HTML", |b| {
        b.iter(|| render_html(black_box(&d)))
    });

    let (a, b2) = documents(&mut rng, &v1);
    c.bench_function("read/100 pages", |b| b.iter(|| read(&a.transact())));
    c.bench_function("read/100 pages, with item IDs", |b| {
        b.iter(|| read_with_ids(&mut b2.transact_mut()))
    });
    let r1 = read_with_ids(&mut a.transact_mut());
    let r2 = read_with_ids(&mut b2.transact_mut());
    let attribution = Attribution {
        users: HashMap::from([(1, "Anne".to_owned()), (2, "Bo".to_owned())]),
        deletions: Vec::new(),
    };
    c.bench_function("diff/100 pages, attributed", |b| {
        b.iter(|| diff_attributed(black_box(&r1), black_box(&r2), &attribution))
    });
    eprintln!(
        "attributed diff: {}",
        diff_attributed(&r1, &r2, &attribution).summary.text
    );

    let (joint, lmus) = hearing(&mut rng);
    eprintln!(
        "hearing: joint {} blocks ({} bytes), LMU responses {} blocks in all",
        joint.blocks.len(),
        joint.blocks.iter().map(|b| b.text().len()).sum::<usize>(),
        lmus.iter().map(|r| r.blocks.blocks.len()).sum::<usize>()
    );
    c.bench_function("provenance/report, 9 LMUs x 5 pages, joint 10 pages", |b| {
        b.iter(|| report(black_box(&joint), black_box(&lmus)))
    });
    let rep = report(&joint, &lmus);
    eprintln!(
        "report: {}",
        rep.committees
            .iter()
            .map(|c| c.text.clone())
            .collect::<Vec<_>>()
            .join("; ")
    );
    similarity_quality(&joint, &lmus);
    c.bench_function("provenance/align, 9 LMUs x 5 pages, joint 10 pages", |b| {
        b.iter(|| align(black_box(&joint), black_box(&lmus)))
    });
}

/// How well similarity alone finds the passages taken: the joint response with its provenance
/// marks removed (as if every passage had been pasted by hand), compared with the marks.
fn similarity_quality(joint: &Blocks, lmus: &[LmuResponse]) {
    let mut taken = std::collections::HashSet::new();
    let mut reworded = 0;
    let stripped = Blocks {
        blocks: joint
            .blocks
            .iter()
            .map(|b| {
                for inline in &b.inlines {
                    if let Some(p) = &inline.marks.provenance {
                        let source = lmus
                            .iter()
                            .find(|r| r.committee == p.committee)
                            .and_then(|r| r.blocks.blocks.get(p.block as usize));
                        if source.is_some_and(|s| matches!(s.kind, BlockKind::Heading { .. })) {
                            continue;
                        }
                        taken.insert((p.committee.clone(), p.block));
                        if inline.text.starts_with("HMU bemærker")
                            && !matches!(b.kind, BlockKind::Heading { .. })
                        {
                            reworded += 1;
                        }
                    }
                }
                Block::plain(b.kind, &b.text())
            })
            .collect(),
    };
    for threshold in [0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6] {
        let rep = samskriv::model::provenance::report_with_threshold(&stripped, lmus, threshold);
        let (mut hits, mut false_hits, mut points) = (0, 0, 0);
        for c in &rep.committees {
            for p in &c.items {
                points += 1;
                let was_taken = taken.contains(&(c.committee.clone(), p.block));
                match (p.reflected, was_taken) {
                    (true, true) => hits += 1,
                    (true, false) => false_hits += 1,
                    _ => {}
                }
            }
        }
        let taken_points = taken.len();
        eprintln!(
            "similarity alone at {threshold}: {hits} of {taken_points} taken passages found ({reworded} of the \
         takings reworded); {false_hits} of {} other points matched by chance",
            points - taken_points
        );
    }
}

criterion_group! {
    name = model;
    config = Criterion::default().sample_size(30);
    targets = benches
}
criterion_main!(model);
