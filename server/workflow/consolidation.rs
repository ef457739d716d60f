//! The chairs' consolidation of the LMU responses into the joint response: the submitted
//! responses beside the joint draft, taking passages with their provenance, and the provenance
//! report.

use super::Round;
use super::versions::{blocks_of, version_blocks};
use crate::auth::Grant;
use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::model::provenance::{Alignment, LmuResponse, Report, align, report};
use crate::model::{Block, Blocks, Marks, Provenance};
use crate::store::hearings::{HearingRow, ResponseRow, ResponseStatus};

/// A submitted LMU response as the chairs work with it.
pub struct Submitted {
    pub response: ResponseRow,
    pub committee: String,
    pub version_id: i64,
    pub blocks: Blocks,
}

impl Round {
    /// The submitted LMU responses of a hearing, in committee order, each at its submitted
    /// version.
    pub async fn submitted(&self, hearing: i64) -> Result<Vec<Submitted>> {
        let committees = self.store.committees().await?;
        let mut out = Vec::new();
        for r in self.store.responses(hearing).await? {
            if r.status != ResponseStatus::Submitted {
                continue;
            }
            let Some(version_id) = r.submitted_version_id else {
                continue;
            };
            let v = self
                .store
                .version(version_id)
                .await?
                .ok_or_else(|| Error::Internal(format!("version {version_id} missing")))?;
            let committee = committees
                .iter()
                .find(|c| c.id == r.committee_id)
                .map(|c| c.short_name.clone())
                .unwrap_or_default();
            out.push(Submitted {
                blocks: version_blocks(&v)?,
                response: r,
                committee,
                version_id,
            });
        }
        Ok(out)
    }

    /// The joint response's blocks now.
    pub async fn joint_blocks(&self, h: &HearingRow) -> Result<Blocks> {
        let joint = h
            .joint_document_id
            .as_deref()
            .ok_or_else(|| Error::Conflict("høringen er ikke sendt ud endnu".into()))?;
        let id = DocumentId::parse(joint).ok_or(Error::InvalidDocumentId)?;
        let snap = self.hub.snapshot(&id).await?;
        blocks_of(snap.state).await
    }

    /// The LMU responses aligned with the joint draft's sections.
    pub async fn alignment(&self, h: &HearingRow) -> Result<(Blocks, Vec<Submitted>, Alignment)> {
        let joint = self.joint_blocks(h).await?;
        let submitted = self.submitted(h.id).await?;
        let lmus = lmu_responses(&submitted);
        let (joint, alignment) = tokio::task::spawn_blocking(move || {
            let a = align(&joint, &lmus);
            (joint, a)
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
        Ok((joint, submitted, alignment))
    }

    /// The provenance report of the joint response now.
    pub async fn provenance(&self, h: &HearingRow) -> Result<(Blocks, Report)> {
        let joint = self.joint_blocks(h).await?;
        let lmus = lmu_responses(&self.submitted(h.id).await?);
        tokio::task::spawn_blocking(move || {
            let r = report(&joint, &lmus);
            (joint, r)
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))
    }

    /// Takes blocks of a submitted LMU response into the joint response after block `after`
    /// (`None`: at the start; past the end: at the end), each run marked with where it came
    /// from, as `grant`'s user.
    pub async fn take_passage(
        &self,
        h: &HearingRow,
        response: i64,
        blocks: &[u32],
        after: Option<usize>,
        grant: Grant,
    ) -> Result<usize> {
        let joint = h
            .joint_document_id
            .clone()
            .ok_or_else(|| Error::Conflict("høringen er ikke sendt ud endnu".into()))?;
        let submitted = self.submitted(h.id).await?;
        let source = submitted
            .iter()
            .find(|s| s.response.id == response)
            .ok_or_else(|| Error::invalid("svaret er ikke indsendt i denne høring"))?;
        if blocks.is_empty() {
            return Err(Error::invalid("vælg mindst ét afsnit"));
        }
        let mut taken = Blocks::default();
        for &b in blocks {
            let block = source.blocks.blocks.get(b as usize).ok_or_else(|| {
                Error::invalid(format!(
                    "svaret fra {} har intet afsnit {b}",
                    source.committee
                ))
            })?;
            taken
                .blocks
                .push(mark(block, &source.committee, source.version_id, b));
        }
        let n = taken.blocks.len();
        self.edit_live(&joint, grant, move |txn| {
            let len = crate::model::read::read_positions(&*txn)
                .blocks
                .blocks
                .len();
            let after = after
                .map(|a| a.min(len.saturating_sub(1)))
                .filter(|_| len > 0);
            crate::model::write::insert_after_block(txn, after, &taken)
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .await?;
        Ok(n)
    }
}

/// A copy of `block` whose every run carries the provenance mark.
fn mark(block: &Block, committee: &str, version: i64, index: u32) -> Block {
    let provenance = Provenance {
        committee: committee.to_owned(),
        version,
        block: index,
    };
    let mut out = Block {
        kind: block.kind,
        inlines: Vec::new(),
    };
    for inline in &block.inlines {
        let marks = Marks {
            provenance: Some(provenance.clone()),
            ..inline.marks.clone()
        };
        out.push(&inline.text, &marks);
    }
    out
}

fn lmu_responses(submitted: &[Submitted]) -> Vec<LmuResponse> {
    submitted
        .iter()
        .map(|s| LmuResponse {
            committee: s.committee.clone(),
            version: s.version_id,
            blocks: s.blocks.clone(),
        })
        .collect()
}
