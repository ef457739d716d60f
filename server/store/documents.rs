//! The `documents` and `document_updates` tables: the update log of each live document and its
//! compacted snapshot.
//!
//! Every update gets a per-document sequence number. Taking numbers locks the document's row
//! until the transaction commits, so numbers are committed in order: a process that has read a
//! document's log up to `n` and reads `seq > n` later misses nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use bytes::Bytes;
use sqlx::{Executor, Row};

use super::{Backend, Store, StoreError, now_millis};
use crate::ids::DocumentId;

/// What storage holds of a document: a snapshot and the updates after it, in commit order.
#[derive(Debug, Default)]
pub struct StoredDocument {
    /// Nobody may change the document any more (see migrations: `documents.locked`).
    pub locked: bool,
    pub snapshot: Option<Vec<u8>>,
    pub snapshot_seq: i64,
    pub updates: Vec<(i64, Vec<u8>)>,
}

impl StoredDocument {
    /// The sequence number of the last update this state contains.
    pub fn last_seq(&self) -> i64 {
        self.updates.last().map_or(self.snapshot_seq, |u| u.0)
    }

    /// Bytes held in storage: what a load reads.
    pub fn stored_bytes(&self) -> usize {
        self.snapshot.as_ref().map_or(0, Vec::len)
            + self.updates.iter().map(|u| u.1.len()).sum::<usize>()
    }
}

/// What a process that has a document up to some sequence number is missing.
#[derive(Debug, Default)]
pub struct CatchUp {
    /// Whether the document is locked now.
    pub locked: bool,
    /// Set when the log it needs was folded into a snapshot meanwhile: (its seq, the state).
    pub snapshot: Option<(i64, Vec<u8>)>,
    /// Later updates: (seq, data, origin process).
    pub updates: Vec<(i64, Vec<u8>, String)>,
}

/// An update accepted by a document, waiting to be committed.
#[derive(Debug, Clone)]
pub struct NewUpdate {
    pub document: DocumentId,
    pub data: Bytes,
    pub user: Arc<str>,
}

impl Store {
    /// Reads a document's snapshot and its later updates in one consistent read.
    pub async fn load_document(&self, id: &DocumentId) -> Result<StoredDocument, StoreError> {
        let mut tx = self.begin_consistent_read().await?;
        let doc = load_in(&mut tx, id.as_str()).await?;
        tx.commit().await?;
        Ok(doc)
    }

    /// The updates of `id` committed after `after_seq` (and the snapshot, if it moved past it).
    pub async fn updates_after(
        &self,
        id: &DocumentId,
        after_seq: i64,
    ) -> Result<CatchUp, StoreError> {
        let mut tx = self.begin_consistent_read().await?;
        let mut out = CatchUp::default();
        let mut from = after_seq;
        if let Some(row) = sqlx::query(SELECT_DOCUMENT)
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?
        {
            out.locked = row.try_get::<i64, _>("locked")? != 0;
            let snapshot_seq: i64 = row.try_get("snapshot_seq")?;
            if snapshot_seq > after_seq {
                let snapshot: Option<Vec<u8>> = row.try_get("snapshot")?;
                out.snapshot = snapshot.map(|s| (snapshot_seq, s));
                from = snapshot_seq;
            }
        }
        let rows = sqlx::query(
            "SELECT seq, data, origin FROM document_updates
             WHERE document_id = $1 AND seq > $2 ORDER BY seq",
        )
        .bind(id.as_str())
        .bind(from)
        .fetch_all(&mut *tx)
        .await?;
        out.updates = rows
            .into_iter()
            .map(|r| Ok((r.try_get("seq")?, r.try_get("data")?, r.try_get("origin")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        tx.commit().await?;
        Ok(out)
    }

    /// Appends updates of any number of documents in one transaction: all are durable when this
    /// returns, or none is. Returns each update's sequence number, in order, or `None` for the
    /// updates of a locked document, which are refused (a submitted response, a frozen record:
    /// whatever a server process believes, the database has the last word). On PostgreSQL the
    /// other processes are notified at commit.
    pub async fn append_updates(
        &self,
        updates: &[NewUpdate],
    ) -> Result<Vec<Option<i64>>, StoreError> {
        let now = now_millis();
        let by_document = by_document(updates);
        let mut seqs = vec![None; updates.len()];
        let mut tx = self.pool.begin().await?;
        // Documents in a fixed order: two processes lock their rows in the same order.
        for (id, indices) in &by_document {
            let n = indices.len() as i64;
            let last: Option<i64> = sqlx::query(TAKE_SEQS)
                .bind(id.as_str())
                .bind(now)
                .bind(n)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("last_seq"))
                .transpose()?;
            number(&mut seqs, indices, last);
        }
        // All rows in one parameter, as a JSON array: one short statement that stays prepared
        // in the statement cache whatever the group's size. (A multi-row VALUES list with a
        // parameter per cell made SQLite parse a new statement and look up every parameter by
        // name for each group: most of the server's CPU in the B4 replay.)
        let rows: Vec<(&str, i64, String, &str)> = updates
            .iter()
            .zip(&seqs)
            .filter_map(|(u, &seq)| Some((u.document.as_str(), seq?, hex(&u.data), &*u.user)))
            .collect();
        let rows = serde_json::to_string(&rows).expect("rows serialise");
        let insert = match self.backend {
            Backend::Sqlite => {
                "INSERT INTO document_updates (document_id, seq, data, user_name, origin, created_at)
                 SELECT value ->> 0, value ->> 1, unhex(value ->> 2), value ->> 3, $2, $3
                 FROM json_each($1)"
            }
            Backend::Postgres => {
                "INSERT INTO document_updates (document_id, seq, data, user_name, origin, created_at)
                 SELECT r ->> 0, (r ->> 1)::bigint, decode(r ->> 2, 'hex'), r ->> 3, $2, $3
                 FROM json_array_elements($1::json) AS r"
            }
        };
        sqlx::query(insert)
            .bind(rows)
            .bind(self.origin())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if self.backend == Backend::Postgres {
            for (id, indices) in &by_document {
                let Some(last) = seqs[*indices.last().expect("non-empty")] else {
                    continue;
                };
                let payload = super::notify::update_payload(id, last, self.origin());
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(super::notify::UPDATES_CHANNEL)
                    .bind(payload)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(seqs)
    }

    /// Replaces the log up to `through_seq` by `snapshot` (the full state after it), in one
    /// transaction. Does nothing and returns false if another compaction holds the document (an
    /// advisory lock on PostgreSQL) or moved its snapshot meanwhile.
    pub async fn replace_with_snapshot(
        &self,
        id: &DocumentId,
        previous_seq: i64,
        through_seq: i64,
        snapshot: &[u8],
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            let locked: bool =
                sqlx::query("SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked")
                    .bind(format!("samskriv-compact:{id}"))
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("locked")?;
            if !locked {
                tx.rollback().await?;
                return Ok(false);
            }
        }
        let moved = sqlx::query(
            "UPDATE documents SET snapshot_seq = $1 WHERE id = $2 AND snapshot_seq = $3",
        )
        .bind(through_seq)
        .bind(id.as_str())
        .bind(previous_seq)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO document_snapshots (document_id, data) VALUES ($1, $2)
             ON CONFLICT (document_id) DO UPDATE SET data = excluded.data",
        )
        .bind(id.as_str())
        .bind(snapshot)
        .execute(&mut *tx)
        .await?;
        keep_attribution(
            &mut tx,
            self.backend,
            id.as_str(),
            previous_seq,
            through_seq,
        )
        .await?;
        sqlx::query("DELETE FROM document_updates WHERE document_id = $1 AND seq <= $2")
            .bind(id.as_str())
            .bind(through_seq)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Tells the other processes about a presence change (PostgreSQL only; a no-op on SQLite).
    pub async fn publish_awareness(
        &self,
        id: &DocumentId,
        message: &[u8],
    ) -> Result<(), StoreError> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        let Some(payload) = super::notify::awareness_payload(id, self.origin(), message) else {
            tracing::debug!(document = %id, bytes = message.len(), "presence too large to share between processes");
            return Ok(());
        };
        self.pool
            .execute(
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(super::notify::AWARENESS_CHANNEL)
                    .bind(payload),
            )
            .await?;
        Ok(())
    }
}

/// Takes `$3` sequence numbers for document `$1` (creating its row) unless it is locked;
/// returns the last one taken, or no row for a locked document.
const TAKE_SEQS: &str =
    "INSERT INTO documents (id, created_at, updated_at, last_seq) VALUES ($1, $2, $2, $3)
     ON CONFLICT (id) DO UPDATE
     SET updated_at = excluded.updated_at, last_seq = documents.last_seq + excluded.last_seq
     WHERE documents.locked = 0
     RETURNING last_seq";

/// The indices of `updates` per document, documents in a fixed order.
fn by_document(updates: &[NewUpdate]) -> BTreeMap<&DocumentId, Vec<usize>> {
    let mut by_document: BTreeMap<&DocumentId, Vec<usize>> = BTreeMap::new();
    for (i, u) in updates.iter().enumerate() {
        by_document.entry(&u.document).or_default().push(i);
    }
    by_document
}

/// Gives the updates at `indices` the numbers that end at `last` (none: refused).
fn number(seqs: &mut [Option<i64>], indices: &[usize], last: Option<i64>) {
    if let Some(last) = last {
        let n = indices.len() as i64;
        for (k, &i) in indices.iter().enumerate() {
            seqs[i] = Some(last - n + 1 + k as i64);
        }
    }
}

/// [`Store::append_updates`] on the group committer's own SQLite connection (see
/// [`super::committer`]): the same statements, run on the calling thread, without a round trip
/// to sqlx's worker per statement and with the updates bound as blobs.
pub(crate) fn append_updates_sqlite(
    conn: &mut rusqlite::Connection,
    origin: &str,
    updates: &[NewUpdate],
) -> rusqlite::Result<Vec<Option<i64>>> {
    use rusqlite::OptionalExtension;
    let now = now_millis();
    let by_document = by_document(updates);
    let mut seqs = vec![None; updates.len()];
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut take = tx.prepare_cached(TAKE_SEQS)?;
        for (id, indices) in &by_document {
            let last: Option<i64> = take
                .query_row((id.as_str(), now, indices.len() as i64), |r| r.get(0))
                .optional()?;
            number(&mut seqs, indices, last);
        }
        let mut insert = tx.prepare_cached(
            "INSERT INTO document_updates (document_id, seq, data, user_name, origin, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (u, seq) in updates.iter().zip(&seqs) {
            if let Some(seq) = seq {
                insert.execute((u.document.as_str(), seq, &u.data[..], &*u.user, origin, now))?;
            }
        }
    }
    tx.commit()?;
    Ok(seqs)
}

/// Lower-case hexadecimal, as SQLite's `unhex` and PostgreSQL's `decode(…, 'hex')` read it.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

/// A document's row with its snapshot (kept in a table of its own: see migration 0006).
const SELECT_DOCUMENT: &str = "SELECT s.data AS snapshot, d.snapshot_seq, d.locked
     FROM documents d LEFT JOIN document_snapshots s ON s.document_id = d.id
     WHERE d.id = $1";

/// Reads a document's snapshot and later updates inside the caller's transaction.
pub(crate) async fn load_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &str,
) -> Result<StoredDocument, sqlx::Error> {
    let mut doc = StoredDocument::default();
    if let Some(row) = sqlx::query(SELECT_DOCUMENT)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
    {
        doc.snapshot = row.try_get("snapshot")?;
        doc.snapshot_seq = row.try_get("snapshot_seq")?;
        doc.locked = row.try_get::<i64, _>("locked")? != 0;
    }
    let rows = sqlx::query(
        "SELECT seq, data FROM document_updates WHERE document_id = $1 AND seq > $2 ORDER BY seq",
    )
    .bind(id)
    .bind(doc.snapshot_seq)
    .fetch_all(&mut **tx)
    .await?;
    doc.updates = rows
        .into_iter()
        .map(|r| Ok((r.try_get("seq")?, r.try_get("data")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(doc)
}

impl Store {
    /// The updates of a document with `after < seq <= through` still in the log, with the user
    /// who sent each: (seq, data, user).
    pub async fn logged_updates(
        &self,
        id: &str,
        after: i64,
        through: i64,
    ) -> Result<Vec<(i64, Vec<u8>, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, data, user_name FROM document_updates
             WHERE document_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq",
        )
        .bind(id)
        .bind(after)
        .bind(through)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok((
                    r.try_get("seq")?,
                    r.try_get("data")?,
                    r.try_get("user_name")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Deletions kept from folded logs, with `after < seq <= through`: (client, clock, len, user).
    pub async fn kept_deletions(
        &self,
        id: &str,
        after: i64,
        through: i64,
    ) -> Result<Vec<(u64, u32, u32, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT client_id, clock, len, user_name FROM document_deletions
             WHERE document_id = $1 AND seq > $2 AND seq <= $3",
        )
        .bind(id)
        .bind(after)
        .bind(through)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok((
                    r.try_get::<i64, _>("client_id")? as u64,
                    r.try_get::<i64, _>("clock")? as u32,
                    r.try_get::<i64, _>("len")? as u32,
                    r.try_get("user_name")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}

/// Before a log is folded: keeps who deleted what (the delete sets of its updates, with their
/// users) and who wrote with which Yjs client id, so that diffs can still name authors. Two
/// statements whatever the log's length, each taking its rows as one JSON parameter (a statement
/// per row made attribution most of a compaction's cost).
async fn keep_attribution(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    id: &str,
    after: i64,
    through: i64,
) -> Result<(), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT seq, data, user_name FROM document_updates
         WHERE document_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq",
    )
    .bind(id)
    .bind(after)
    .bind(through)
    .fetch_all(&mut **tx)
    .await?;
    // (client, clock, len, user, seq) of every deleted range; the first user of each client.
    let mut deletions: Vec<(i64, i64, i64, String, i64)> = Vec::new();
    let mut clients: BTreeMap<i64, String> = BTreeMap::new();
    for r in rows {
        let seq: i64 = r.try_get("seq")?;
        let data: Vec<u8> = r.try_get("data")?;
        let user: String = r.try_get("user_name")?;
        // Every stored update was validated when it was accepted.
        let Ok(parsed) = crate::sync::validate::ParsedUpdate::parse(&data) else {
            continue;
        };
        for &(client, clock, len) in parsed.deletes() {
            deletions.push((
                client as i64,
                i64::from(clock),
                i64::from(len),
                user.clone(),
                seq,
            ));
        }
        for (client, _) in parsed.clock_ends() {
            clients.entry(client as i64).or_insert_with(|| user.clone());
        }
    }
    let now = now_millis();
    if !deletions.is_empty() {
        let insert = match backend {
            Backend::Sqlite => {
                "INSERT INTO document_deletions (document_id, client_id, clock, len, user_name, seq)
                 SELECT $1, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4
                 FROM json_each($2)"
            }
            Backend::Postgres => {
                "INSERT INTO document_deletions (document_id, client_id, clock, len, user_name, seq)
                 SELECT $1, (r ->> 0)::bigint, (r ->> 1)::bigint, (r ->> 2)::bigint, r ->> 3,
                        (r ->> 4)::bigint
                 FROM json_array_elements($2::json) AS r"
            }
        };
        sqlx::query(insert)
            .bind(id)
            .bind(serde_json::to_string(&deletions).expect("rows serialise"))
            .execute(&mut **tx)
            .await?;
    }
    if !clients.is_empty() {
        let clients: Vec<(i64, String)> = clients.into_iter().collect();
        let insert = match backend {
            Backend::Sqlite => {
                "INSERT INTO document_clients (document_id, client_id, user_name, first_seen)
                 SELECT $1, value ->> 0, value ->> 1, $3 FROM json_each($2) WHERE true
                 ON CONFLICT (document_id, client_id) DO NOTHING"
            }
            Backend::Postgres => {
                "INSERT INTO document_clients (document_id, client_id, user_name, first_seen)
                 SELECT $1, (r ->> 0)::bigint, r ->> 1, $3 FROM json_array_elements($2::json) AS r
                 ON CONFLICT (document_id, client_id) DO NOTHING"
            }
        };
        sqlx::query(insert)
            .bind(id)
            .bind(serde_json::to_string(&clients).expect("rows serialise"))
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
