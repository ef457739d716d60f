//! The steps of the hearing round that touch several parts at once: the rules
//! ([`crate::domain`]), storage ([`crate::store`]) and the open live documents
//! ([`crate::docs::Hub`]). HTTP handlers and the deadline sweeper call these; each step checks
//! the rules, commits in one transaction, then tells the live documents.

pub mod consolidation;
pub mod edits;
pub mod facts;
pub mod hearings;
pub mod locks;
pub mod records;
pub mod responses;
pub mod review;
pub mod versions;

use crate::docs::Hub;
use crate::store::Store;

/// What the steps work with.
#[derive(Clone)]
pub struct Round {
    pub store: Store,
    pub hub: Hub,
}
