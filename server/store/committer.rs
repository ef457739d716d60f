//! Group commit: one task writes the updates of every document in as few transactions as the
//! load allows. While one transaction commits, new requests queue; the next transaction takes
//! them all. Durability costs one fsync per group, not per update.
//!
//! On SQLite the committer is a thread with a connection of its own (rusqlite, the same SQLite
//! library as sqlx's): a transaction there is a few direct calls, where through sqlx each of its
//! four statements was a round trip to sqlx's worker thread, with the updates hex-encoded into
//! JSON. That was two fifths of the server's CPU in the B4 replay (docs/benchmarks.md). Rooms
//! wait for a commit the same way on either path. PostgreSQL keeps the sqlx path: its commits
//! also notify the other processes.

use std::time::Instant;

use tokio::sync::{mpsc, oneshot};

use super::documents::append_updates_sqlite;
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
    /// Starts the commit task (on SQLite, a thread). It ends when every handle is dropped,
    /// after committing what was queued.
    pub fn start(
        store: Store,
        metrics: Metrics,
    ) -> Result<(Self, tokio::task::JoinHandle<()>), StoreError> {
        let (tx, rx) = mpsc::channel(1024);
        let task = match store.open_sqlite_writer() {
            Some(conn) => {
                let conn = conn?;
                let origin = store.origin().to_owned();
                tokio::task::spawn_blocking(move || run_sqlite(conn, &origin, metrics, rx))
            }
            None => tokio::spawn(run(store, metrics, rx)),
        };
        Ok((Self { tx }, task))
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
    let mut group = Group::default();
    while let Some(first) = rx.recv().await {
        group.take(first, &mut rx);
        let started = Instant::now();
        let result = append_with_retries(&store, &group.updates).await;
        group.answer(result.map_err(|e| e.to_string()), started, &metrics);
    }
}

/// The committer on SQLite: the same groups, on this thread's own connection.
fn run_sqlite(
    mut conn: rusqlite::Connection,
    origin: &str,
    metrics: Metrics,
    mut rx: mpsc::Receiver<Request>,
) {
    let mut group = Group::default();
    while let Some(first) = rx.blocking_recv() {
        group.take(first, &mut rx);
        let started = Instant::now();
        let mut result = append_updates_sqlite(&mut conn, origin, &group.updates);
        // The busy timeout already waited for other writers; a failure here is the disk's
        // (full, unwritable). Nothing of a failed transaction was committed: try a few times.
        let mut delay = std::time::Duration::from_millis(50);
        for _ in 0..6 {
            let Err(e) = &result else { break };
            tracing::warn!(error = %e, retry_in = ?delay, "commit failed; retrying");
            std::thread::sleep(delay);
            delay *= 2;
            result = append_updates_sqlite(&mut conn, origin, &group.updates);
        }
        group.answer(result.map_err(|e| e.to_string()), started, &metrics);
    }
}

/// The requests of one transaction.
#[derive(Default)]
struct Group {
    requests: Vec<Request>,
    /// Every request's updates, in order.
    updates: Vec<NewUpdate>,
    /// How many of `updates` each request brought.
    counts: Vec<usize>,
}

impl Group {
    /// Takes `first` and whatever else is queued, up to [`MAX_GROUP`] requests.
    fn take(&mut self, first: Request, rx: &mut mpsc::Receiver<Request>) {
        self.requests.push(first);
        while self.requests.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(r) => self.requests.push(r),
                Err(_) => break,
            }
        }
        self.updates.clear();
        self.counts.clear();
        for r in &mut self.requests {
            self.counts.push(r.updates.len());
            self.updates.append(&mut r.updates);
        }
        tracing::trace!(
            updates = self.updates.len(),
            requests = self.requests.len(),
            "commit start"
        );
    }

    /// Tells each request what became of its updates.
    fn answer(
        &mut self,
        result: Result<Vec<Option<i64>>, String>,
        started: Instant,
        metrics: &Metrics,
    ) {
        metrics
            .commit_seconds
            .observe(started.elapsed().as_secs_f64());
        match &result {
            Ok(seqs) => {
                let n = seqs.iter().filter(|s| s.is_some()).count();
                metrics.updates_committed.inc_by(n as u64);
            }
            Err(e) => {
                tracing::error!(error = %e, updates = self.updates.len(), "commit failed");
            }
        }
        tracing::trace!(ok = result.is_ok(), "commit end");
        let mut seqs = result.as_ref().map(|s| s.iter()).ok();
        for (r, n) in self.requests.drain(..).zip(self.counts.drain(..)) {
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
        self.updates.clear();
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
