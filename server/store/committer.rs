//! Group commit: one task writes the updates of every document in as few transactions as the
//! load allows. While one transaction commits, new requests queue; the next transaction takes
//! them all. Durability costs one fsync per group, not per update.

use std::time::Instant;

use tokio::sync::{mpsc, oneshot};

use super::{NewUpdate, Store, StoreError};
use crate::metrics::Metrics;

/// Most requests folded into one transaction.
const MAX_GROUP: usize = 512;

struct Request {
    updates: Vec<NewUpdate>,
    done: oneshot::Sender<Result<Vec<i64>, CommitError>>,
}

/// Why a request's updates were not committed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CommitError {
    /// The document is locked: nobody may change it any more.
    #[error("the document is locked")]
    Locked,
    #[error("{0}")]
    Failed(String),
}

/// The handle rooms use to commit.
#[derive(Clone)]
pub struct Committer {
    tx: mpsc::Sender<Request>,
}

impl Committer {
    /// Starts the commit task. It ends when every handle is dropped, after committing what was
    /// queued.
    pub fn start(store: Store, metrics: Metrics) -> (Self, tokio::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(1024);
        let task = tokio::spawn(run(store, metrics, rx));
        (Self { tx }, task)
    }

    /// Commits `updates` (all of one document) durably; returns their sequence numbers once
    /// they are on disk.
    pub async fn commit(&self, updates: Vec<NewUpdate>) -> Result<Vec<i64>, CommitError> {
        let stopped = || CommitError::Failed("the committer has stopped".to_owned());
        let (done, wait) = oneshot::channel();
        self.tx
            .send(Request { updates, done })
            .await
            .map_err(|_| stopped())?;
        wait.await.map_err(|_| stopped())?
    }
}

async fn run(store: Store, metrics: Metrics, mut rx: mpsc::Receiver<Request>) {
    let mut group: Vec<Request> = Vec::new();
    let mut updates: Vec<NewUpdate> = Vec::new();
    while let Some(first) = rx.recv().await {
        group.push(first);
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(r) => group.push(r),
                Err(_) => break,
            }
        }
        updates.clear();
        let mut counts = Vec::with_capacity(group.len());
        for r in &mut group {
            counts.push(r.updates.len());
            updates.append(&mut r.updates);
        }
        let started = Instant::now();
        tracing::trace!(
            updates = updates.len(),
            requests = group.len(),
            "commit start"
        );
        let result = append_with_retries(&store, &updates).await;
        metrics
            .commit_seconds
            .observe(started.elapsed().as_secs_f64());
        let result = result.map_err(|e: StoreError| {
            tracing::error!(error = %e, updates = updates.len(), "commit failed");
            e.to_string()
        });
        tracing::trace!(ok = result.is_ok(), "commit end");
        if let Ok(seqs) = &result {
            metrics
                .updates_committed
                .inc_by(seqs.iter().filter(|s| s.is_some()).count() as u64);
        }
        let mut seqs = result.as_ref().map(|s| s.iter()).ok();
        for (r, n) in group.drain(..).zip(counts) {
            let reply = match (&result, seqs.as_mut()) {
                (Ok(_), Some(it)) => {
                    // Take all n first: a refused request must not leave its rest for the next.
                    let mine: Vec<Option<i64>> = it.by_ref().take(n).copied().collect();
                    mine.into_iter()
                        .map(|s| s.ok_or(CommitError::Locked))
                        .collect()
                }
                (Err(e), _) => Err(CommitError::Failed(e.clone())),
                _ => Err(CommitError::Failed("commit failed".to_owned())),
            };
            let _ = r.done.send(reply);
        }
    }
}

/// A dropped database connection fails one transaction; the pool opens a new one. Retrying for
/// a few seconds rides out a restart of the connection (nothing of a failed transaction was
/// committed, and the sequence numbers are taken anew).
async fn append_with_retries(
    store: &Store,
    updates: &[NewUpdate],
) -> Result<Vec<Option<i64>>, StoreError> {
    let mut delay = std::time::Duration::from_millis(50);
    for _ in 0..6 {
        match store.append_updates(updates).await {
            Ok(seqs) => return Ok(seqs),
            Err(e) => {
                tracing::warn!(error = %e, retry_in = ?delay, "commit failed; retrying");
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
        }
    }
    store.append_updates(updates).await
}
