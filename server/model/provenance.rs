//! The provenance report of a joint response, and the alignment of LMU responses with the
//! joint draft for the consolidation workspace.
//!
//! For each block of the joint response: which LMU responses it draws on, from the provenance
//! marks in it (with how much of its text carries each) and, for text without marks (typed or
//! pasted by hand), by similarity to the LMU responses' blocks. For each LMU response: which of
//! its points (blocks with content: paragraphs, list items and quotes with at least
//! [`MIN_POINT_TERMS`] content terms; headings are not points) the joint response reflects —
//! by a mark that points at the point, or by a joint block similar to it — and which it does
//! not: "SBU: 4 af 6 punkter afspejlet", with the unreflected points listed, so that no point
//! is dropped without anyone deciding to.
//!
//! Similarity is [`TermIndex::similarity`](super::similarity::TermIndex::similarity): content
//! terms (Danish-aware lowercasing, stop words out, light Danish stemming) weighted by inverse
//! document frequency over all the texts of the report, relative to the smaller text. A joint
//! block draws on an LMU block, and reflects an LMU point, at or above the threshold
//! ([`DRAWS_ON`] by default).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::similarity::{TermIndex, TextId};
use super::{Block, BlockKind, Blocks, Provenance};

/// The default similarity at or above which text draws on (reflects) another. Calibrated on
/// real Danish: the demo hearing's joint draft, written by hand from the LMU responses
/// (`demo_texts`: the points it reflects score 0.38 and up, the points it leaves out 0.17 and
/// below), the rewordings in the similarity tests (0.46 and up, other points 0.17 and below),
/// and the benchmark's generated hearing (docs/benchmarks-model.md).
pub const DRAWS_ON: f32 = 0.35;
/// A block needs this many content terms to be a point.
pub const MIN_POINT_TERMS: usize = 2;
/// At most this many similar LMU blocks are listed per joint block, and reflections per point.
pub const MAX_LISTED: usize = 3;

/// A submitted LMU response: the committee's short name, the version, its blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LmuResponse {
    pub committee: String,
    pub version: i64,
    pub blocks: Blocks,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub threshold: f32,
    /// One per block of the joint response, in order.
    pub blocks: Vec<BlockSources>,
    /// One per LMU response, in the order given.
    pub committees: Vec<Coverage>,
}

/// What one block of the joint response draws on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockSources {
    pub index: u32,
    pub kind: BlockKind,
    /// Length of the block's text in chars.
    pub chars: u32,
    /// The provenance marks in the block, largest share first.
    pub marked: Vec<MarkedSource>,
    /// Chars without a provenance mark.
    pub unmarked_chars: u32,
    /// LMU blocks the unmarked text is similar to (at or above the threshold), most similar
    /// first.
    pub similar: Vec<SimilarSource>,
    /// The committees the block draws on, by mark or similarity (sorted).
    pub committees: Vec<String>,
}

/// Text of a joint block that carries one provenance mark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkedSource {
    pub committee: String,
    pub version: i64,
    pub block: u32,
    /// Chars carrying this mark.
    pub chars: u32,
    /// Their share of the block's text, 0..1.
    pub share: f32,
    /// How similar the marked text still is to the block it came from (reworded text scores
    /// lower), when that response is in the report and has that block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f32>,
}

/// An LMU block that unmarked text of a joint block is similar to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarSource {
    pub committee: String,
    pub version: i64,
    pub block: u32,
    pub similarity: f32,
}

/// How far the joint response reflects one LMU response's points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub committee: String,
    pub version: i64,
    pub points: u32,
    pub reflected: u32,
    /// E.g. "SBU: 4 af 6 punkter afspejlet".
    pub text: String,
    /// Every point, in the response's order.
    pub items: Vec<Point>,
    /// The blocks of the points not reflected.
    pub unreflected: Vec<u32>,
}

/// One point of an LMU response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The block's index in the LMU response.
    pub block: u32,
    pub kind: BlockKind,
    pub text: String,
    pub reflected: bool,
    /// Where the joint response reflects it, strongest first.
    pub by: Vec<Reflection>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// Text in the joint block carries a provenance mark pointing at the point.
    Mark,
    /// The joint block is similar to the point.
    Similarity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reflection {
    pub joint_block: u32,
    pub how: How,
    /// For a mark: how similar the marked text is to the point; for similarity: the
    /// similarity of the joint block to the point.
    pub similarity: f32,
}

/// The provenance report with the default threshold.
pub fn report(joint: &Blocks, lmus: &[LmuResponse]) -> Report {
    report_with_threshold(joint, lmus, DRAWS_ON)
}

/// The provenance report; `threshold` (0..1) is the similarity at or above which text draws
/// on an LMU block and reflects a point.
pub fn report_with_threshold(joint: &Blocks, lmus: &[LmuResponse], threshold: f32) -> Report {
    let threshold = if threshold.is_finite() {
        threshold.clamp(0.0, 1.0)
    } else {
        DRAWS_ON
    };
    let mut index = TermIndex::new();

    // Every LMU block and every joint block is a document for the term weights.
    let lmu_ids: Vec<Vec<TextId>> = lmus
        .iter()
        .map(|r| {
            r.blocks
                .blocks
                .iter()
                .map(|b| index.add(&b.text()))
                .collect()
        })
        .collect();
    let joint_ids: Vec<TextId> = joint.blocks.iter().map(|b| index.add(&b.text())).collect();

    // Per joint block: marked text per source, and the unmarked text.
    struct Split {
        marked: BTreeMap<(String, i64, u32), (u32, String)>,
        unmarked: String,
        unmarked_chars: u32,
        chars: u32,
    }
    let splits: Vec<Split> = joint
        .blocks
        .iter()
        .map(split_by_mark)
        .map(|(m, u, uc, c)| Split {
            marked: m,
            unmarked: u,
            unmarked_chars: uc,
            chars: c,
        })
        .collect();
    let unmarked_ids: Vec<Option<TextId>> = splits
        .iter()
        .map(|s| (s.unmarked_chars > 0).then(|| index.add_query(&s.unmarked)))
        .collect();
    let marked_ids: Vec<Vec<TextId>> = splits
        .iter()
        .map(|s| s.marked.values().map(|(_, t)| index.add_query(t)).collect())
        .collect();
    index.prepare();

    let by_committee: HashMap<&str, Vec<usize>> =
        lmus.iter()
            .enumerate()
            .fold(HashMap::new(), |mut map, (k, r)| {
                map.entry(r.committee.as_str()).or_default().push(k);
                map
            });
    // The LMU block a mark points at: the same version's block, or (a mark from another
    // version, or a block that no longer exists) the most similar block of that committee's
    // responses.
    let resolve = |p: &(String, i64, u32), text: TextId| -> Option<(usize, usize, f32)> {
        let responses = by_committee.get(p.0.as_str())?;
        for &r in responses {
            if lmus[r].version == p.1 && (p.2 as usize) < lmus[r].blocks.blocks.len() {
                let sim = index.similarity_sealed(text, lmu_ids[r][p.2 as usize]);
                return Some((r, p.2 as usize, sim));
            }
        }
        let mut best: Option<(usize, usize, f32)> = None;
        for &r in responses {
            for (b, &id) in lmu_ids[r].iter().enumerate() {
                let sim = index.similarity_sealed(text, id);
                if sim >= threshold && best.is_none_or(|x| sim > x.2) {
                    best = Some((r, b, sim));
                }
            }
        }
        best
    };

    // reflections[r][b]: how the joint response reflects block b of response r.
    let mut reflections: Vec<Vec<Vec<Reflection>>> = lmus
        .iter()
        .map(|r| vec![Vec::new(); r.blocks.blocks.len()])
        .collect();

    let mut blocks = Vec::with_capacity(joint.blocks.len());
    for (j, block) in joint.blocks.iter().enumerate() {
        let split = &splits[j];
        let mut committees: Vec<String> = Vec::new();
        let mut marked = Vec::new();
        for (k, (key, (chars, _))) in split.marked.iter().enumerate() {
            let text_id = marked_ids[j][k];
            let resolved = resolve(key, text_id);
            let mut similarity = None;
            if let Some((r, b, sim)) = resolved {
                if lmus[r].version == key.1 && b == key.2 as usize {
                    similarity = Some(sim);
                }
                reflections[r][b].push(Reflection {
                    joint_block: j as u32,
                    how: How::Mark,
                    similarity: sim,
                });
            }
            committees.push(key.0.clone());
            marked.push(MarkedSource {
                committee: key.0.clone(),
                version: key.1,
                block: key.2,
                chars: *chars,
                share: ratio(*chars, split.chars),
                similarity,
            });
        }
        marked.sort_by_key(|m| std::cmp::Reverse(m.chars));

        let mut similar = Vec::new();
        if let Some(u) = unmarked_ids[j]
            && !matches!(block.kind, BlockKind::Heading { .. })
        {
            for (r, response) in lmus.iter().enumerate() {
                for (b, &id) in lmu_ids[r].iter().enumerate() {
                    if !is_point(&response.blocks.blocks[b], &index, id) {
                        continue;
                    }
                    let sim = index.similarity_sealed(u, id);
                    if sim >= threshold {
                        similar.push(SimilarSource {
                            committee: response.committee.clone(),
                            version: response.version,
                            block: b as u32,
                            similarity: sim,
                        });
                    }
                }
            }
            similar.sort_by(|a, b| {
                b.similarity
                    .total_cmp(&a.similarity)
                    .then(a.committee.cmp(&b.committee))
                    .then(a.block.cmp(&b.block))
            });
            similar.truncate(MAX_LISTED);
            committees.extend(similar.iter().map(|s| s.committee.clone()));
        }
        committees.sort();
        committees.dedup();
        blocks.push(BlockSources {
            index: j as u32,
            kind: block.kind,
            chars: split.chars,
            marked,
            unmarked_chars: split.unmarked_chars,
            similar,
            committees,
        });
    }

    // Points reflected by similarity of the whole joint block.
    for (r, response) in lmus.iter().enumerate() {
        for (b, &id) in lmu_ids[r].iter().enumerate() {
            if !is_point(&response.blocks.blocks[b], &index, id) {
                continue;
            }
            for (j, jb) in joint.blocks.iter().enumerate() {
                if matches!(jb.kind, BlockKind::Heading { .. }) {
                    continue;
                }
                let sim = index.similarity_sealed(id, joint_ids[j]);
                if sim >= threshold {
                    reflections[r][b].push(Reflection {
                        joint_block: j as u32,
                        how: How::Similarity,
                        similarity: sim,
                    });
                }
            }
        }
    }

    let committees = lmus
        .iter()
        .enumerate()
        .map(|(r, response)| {
            let mut items = Vec::new();
            for (b, block) in response.blocks.blocks.iter().enumerate() {
                if !is_point(block, &index, lmu_ids[r][b]) {
                    continue;
                }
                let mut by = std::mem::take(&mut reflections[r][b]);
                by.sort_by(|x, y| {
                    (x.how != How::Mark)
                        .cmp(&(y.how != How::Mark))
                        .then(y.similarity.total_cmp(&x.similarity))
                        .then(x.joint_block.cmp(&y.joint_block))
                });
                by.dedup_by(|a, b| a.joint_block == b.joint_block && a.how == b.how);
                by.truncate(MAX_LISTED * 2);
                items.push(Point {
                    block: b as u32,
                    kind: block.kind,
                    text: block.text(),
                    reflected: !by.is_empty(),
                    by,
                });
            }
            let points = items.len() as u32;
            let reflected = items.iter().filter(|p| p.reflected).count() as u32;
            Coverage {
                committee: response.committee.clone(),
                version: response.version,
                points,
                reflected,
                text: coverage_text(&response.committee, reflected, points),
                unreflected: items
                    .iter()
                    .filter(|p| !p.reflected)
                    .map(|p| p.block)
                    .collect(),
                items,
            }
        })
        .collect();

    Report {
        threshold,
        blocks,
        committees,
    }
}

/// "SBU: 4 af 6 punkter afspejlet".
pub fn coverage_text(committee: &str, reflected: u32, points: u32) -> String {
    let noun = if points == 1 { "punkt" } else { "punkter" };
    format!("{committee}: {reflected} af {points} {noun} afspejlet")
}

fn ratio(part: u32, whole: u32) -> f32 {
    if whole == 0 {
        0.0
    } else {
        part as f32 / whole as f32
    }
}

/// Whether an LMU block is a point: not a heading, and with content.
fn is_point(block: &Block, index: &TermIndex, id: TextId) -> bool {
    !matches!(block.kind, BlockKind::Heading { .. }) && index.terms(id) >= MIN_POINT_TERMS
}

type Marked = BTreeMap<(String, i64, u32), (u32, String)>;

/// A block's text by provenance mark: per mark its chars and text, then the unmarked text,
/// its chars, and all chars.
fn split_by_mark(block: &Block) -> (Marked, String, u32, u32) {
    let mut marked: Marked = BTreeMap::new();
    let mut unmarked = String::new();
    let (mut unmarked_chars, mut chars) = (0u32, 0u32);
    for inline in &block.inlines {
        let n = inline.text.chars().count() as u32;
        chars += n;
        match &inline.marks.provenance {
            Some(Provenance {
                committee,
                version,
                block,
            }) => {
                let entry = marked
                    .entry((committee.clone(), *version, *block))
                    .or_default();
                entry.0 += n;
                // Separate pieces so words do not run together.
                entry.1.push(' ');
                entry.1.push_str(&inline.text);
            }
            None => {
                if !inline.text.trim().is_empty() {
                    unmarked_chars += n;
                }
                unmarked.push(' ');
                unmarked.push_str(&inline.text);
            }
        }
    }
    (marked, unmarked, unmarked_chars, chars)
}

// ---------------------------------------------------------------------------------------------
// Alignment for the consolidation workspace

/// A section of the joint draft: a heading and the blocks up to the next heading (the blocks
/// before the first heading form a section without one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The heading's block index, if the section has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<u32>,
    pub title: String,
    /// The blocks of the section (heading included): `start..end`.
    pub start: u32,
    pub end: u32,
}

/// The sections of a joint draft.
pub fn sections(joint: &Blocks) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for (i, block) in joint.blocks.iter().enumerate() {
        let i = i as u32;
        if let BlockKind::Heading { .. } = block.kind {
            out.push(Section {
                heading: Some(i),
                title: block.text(),
                start: i,
                end: i + 1,
            });
        } else {
            match out.last_mut() {
                Some(section) => section.end = i + 1,
                None => out.push(Section {
                    heading: None,
                    title: String::new(),
                    start: i,
                    end: i + 1,
                }),
            }
        }
    }
    out
}

/// The LMU responses aligned with the joint draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alignment {
    pub sections: Vec<Section>,
    pub responses: Vec<ResponseAlignment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseAlignment {
    pub committee: String,
    pub version: i64,
    /// One per block of the LMU response.
    pub blocks: Vec<BlockAlignment>,
}

/// Where one LMU block belongs in the joint draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockAlignment {
    pub block: u32,
    /// The most similar section (index into [`Alignment::sections`]), if any shares content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<u32>,
    pub section_similarity: f32,
    /// The most similar block of the joint draft, if any shares content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joint_block: Option<u32>,
    pub block_similarity: f32,
}

/// For each block of each LMU response, the most similar section and block of the joint draft
/// (the consolidation workspace shows each LMU response beside the joint draft's sections).
pub fn align(joint: &Blocks, lmus: &[LmuResponse]) -> Alignment {
    let sections = sections(joint);
    let mut index = TermIndex::new();
    let lmu_ids: Vec<Vec<TextId>> = lmus
        .iter()
        .map(|r| {
            r.blocks
                .blocks
                .iter()
                .map(|b| index.add(&b.text()))
                .collect()
        })
        .collect();
    let joint_ids: Vec<TextId> = joint.blocks.iter().map(|b| index.add(&b.text())).collect();
    let section_ids: Vec<TextId> = sections
        .iter()
        .map(|s| {
            let text: Vec<String> = joint
                .blocks
                .get(s.start as usize..s.end as usize)
                .unwrap_or_default()
                .iter()
                .map(Block::text)
                .collect();
            index.add_query(&text.join("\n"))
        })
        .collect();
    index.prepare();

    let best = |id: TextId, candidates: &[TextId]| -> (Option<u32>, f32) {
        let mut best: (Option<u32>, f32) = (None, 0.0);
        for (k, &c) in candidates.iter().enumerate() {
            let sim = index.similarity_sealed(id, c);
            if sim > best.1 {
                best = (Some(k as u32), sim);
            }
        }
        best
    };
    let responses = lmus
        .iter()
        .enumerate()
        .map(|(r, response)| ResponseAlignment {
            committee: response.committee.clone(),
            version: response.version,
            blocks: lmu_ids[r]
                .iter()
                .enumerate()
                .map(|(b, &id)| {
                    let (section, section_similarity) = best(id, &section_ids);
                    let (joint_block, block_similarity) = best(id, &joint_ids);
                    BlockAlignment {
                        block: b as u32,
                        section,
                        section_similarity,
                        joint_block,
                        block_similarity,
                    }
                })
                .collect(),
        })
        .collect();
    Alignment {
        sections,
        responses,
    }
}
