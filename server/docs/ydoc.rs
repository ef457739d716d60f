//! The in-memory yrs document of one live document, with every yrs call guarded.
//!
//! yrs can panic on input it accepted (design.md §6). Each call runs under `catch_unwind`; the
//! document is owned by one room task, so there is no lock to poison. After any failure the
//! caller must throw this document away and load it again from storage.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use yrs::block::ClientID;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

use super::content;
use crate::sync::ProtocolError;
use crate::sync::validate::{IntegrationError, Levels, ParsedUpdate};

#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("yrs panicked")]
    Panicked,
    #[error("yrs refused the update: {0}")]
    Refused(String),
    #[error("the update left content pending")]
    Pending,
    #[error(transparent)]
    NotIntegrable(#[from] IntegrationError),
    #[error("stored content does not parse: {0}")]
    Corrupt(ProtocolError),
}

fn guarded<T>(f: impl FnOnce() -> Result<T, DocError>) -> Result<T, DocError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(Err(DocError::Panicked))
}

pub struct LiveDoc {
    doc: Doc,
    /// The document's state vector, kept here so that validating an update costs no yrs call.
    clocks: HashMap<u64, u32>,
    /// Where the document's items live, to bound how deep shared types nest.
    levels: Levels,
}

impl LiveDoc {
    /// Builds the document from a stored snapshot and the updates after it, in one transaction.
    /// Each is parsed as an incoming update would be, which gives the nesting depth.
    pub fn load<'a>(
        snapshot: Option<&'a [u8]>,
        updates: impl Iterator<Item = &'a [u8]>,
    ) -> Result<Self, DocError> {
        guarded(|| {
            let doc = Doc::new();
            let mut clocks: HashMap<u64, u32> = HashMap::new();
            let mut levels = Levels::default();
            {
                let mut txn = doc.transact_mut();
                for bytes in snapshot.into_iter().chain(updates) {
                    let parsed = ParsedUpdate::parse(bytes).map_err(DocError::Corrupt)?;
                    let placed = parsed.check(|c| clocks.get(&c).copied().unwrap_or(0), &levels)?;
                    levels.merge(&placed);
                    for (client, end) in parsed.clock_ends() {
                        let clock = clocks.entry(client).or_insert(0);
                        *clock = (*clock).max(end);
                    }
                    let update =
                        Update::decode_v1(bytes).map_err(|e| DocError::Refused(e.to_string()))?;
                    txn.apply_update(update)
                        .map_err(|e| DocError::Refused(e.to_string()))?;
                }
                if txn.has_missing_updates() {
                    return Err(DocError::Pending);
                }
            }
            Ok(Self {
                doc,
                clocks,
                levels,
            })
        })
    }

    /// The next clock of `client` (0 if the document has nothing of it).
    pub fn clock(&self, client: u64) -> u32 {
        self.clocks.get(&client).copied().unwrap_or(0)
    }

    /// Whether `parsed` integrates completely and within the nesting bound.
    pub fn check(
        &self,
        parsed: &ParsedUpdate,
    ) -> Result<Vec<(u64, u32, u32, u16)>, IntegrationError> {
        parsed.check(|c| self.clock(c), &self.levels)
    }

    /// Applies an update, after checking it (see [`Self::check`]); nothing of a refused update
    /// reaches yrs. After an error from yrs itself, throw this document away.
    pub fn apply(&mut self, bytes: &[u8], parsed: &ParsedUpdate) -> Result<(), DocError> {
        let placed = self.check(parsed)?;
        guarded(|| {
            let update = Update::decode_v1(bytes).map_err(|e| DocError::Refused(e.to_string()))?;
            let mut txn = self.doc.transact_mut();
            txn.apply_update(update)
                .map_err(|e| DocError::Refused(e.to_string()))?;
            if txn.has_missing_updates() {
                return Err(DocError::Pending);
            }
            Ok(())
        })?;
        self.levels.merge(&placed);
        for (client, end) in parsed.clock_ends() {
            let clock = self.clocks.entry(client).or_insert(0);
            *clock = (*clock).max(end);
        }
        Ok(())
    }

    /// The state vector as (client, clock) pairs.
    pub fn state_vector(&self) -> Vec<(u64, u32)> {
        self.clocks.iter().map(|(&c, &k)| (c, k)).collect()
    }

    pub fn encode_state_vector(&self) -> Result<Vec<u8>, DocError> {
        guarded(|| Ok(self.doc.transact().state_vector().encode_v1()))
    }

    /// What a client with state vector `sv` is missing (a sync step 2 payload).
    pub fn encode_diff(&self, sv: &[(u64, u32)]) -> Result<Vec<u8>, DocError> {
        let sv: StateVector = sv.iter().map(|&(c, k)| (ClientID::new(c), k)).collect();
        guarded(|| Ok(self.doc.transact().encode_state_as_update_v1(&sv)))
    }

    /// The whole state as one update (a snapshot).
    pub fn encode_full(&self) -> Result<Vec<u8>, DocError> {
        self.encode_diff(&[])
    }

    /// The document's content in the canonical JSON form (see [`content`]).
    pub fn canonical(&self) -> Result<serde_json::Value, DocError> {
        guarded(|| {
            content::canonical(&self.doc.transact()).map_err(|e| DocError::Refused(e.to_string()))
        })
    }
}
