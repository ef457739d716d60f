//! The `documents` and `document_updates` tables: the update log of each live document and its
//! compacted snapshot.

use std::collections::BTreeSet;
use std::sync::Arc;

use bytes::Bytes;
use sqlx::Row;

use super::{Store, StoreError, now_millis};
use crate::ids::DocumentId;

/// Rows in one multi-row INSERT (4 parameters each, well below SQLite's limit of 32766).
const ROWS_PER_INSERT: usize = 256;

/// What storage holds of a document: a snapshot and the updates after it, in commit order.
#[derive(Debug, Default)]
pub struct StoredDocument {
    pub snapshot: Option<Vec<u8>>,
    pub snapshot_seq: i64,
    pub updates: Vec<(i64, Vec<u8>)>,
}

impl StoredDocument {
    pub fn last_seq(&self) -> i64 {
        self.updates.last().map_or(self.snapshot_seq, |u| u.0)
    }

    /// Bytes held in storage: what a load reads.
    pub fn stored_bytes(&self) -> usize {
        self.snapshot.as_ref().map_or(0, Vec::len)
            + self.updates.iter().map(|u| u.1.len()).sum::<usize>()
    }
}

/// An update accepted by a document, waiting to be committed.
#[derive(Debug, Clone)]
pub struct NewUpdate {
    pub document: DocumentId,
    pub data: Bytes,
    pub user: Arc<str>,
}

impl Store {
    /// Reads a document's snapshot and its later updates in one read transaction, so a
    /// concurrent compaction is seen either wholly or not at all.
    pub async fn load_document(&self, id: &DocumentId) -> Result<StoredDocument, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut doc = StoredDocument::default();
        if let Some(row) = sqlx::query("SELECT snapshot, snapshot_seq FROM documents WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?
        {
            doc.snapshot = row.try_get("snapshot")?;
            doc.snapshot_seq = row.try_get("snapshot_seq")?;
        }
        let rows = sqlx::query(
            "SELECT seq, data FROM document_updates WHERE document_id = $1 AND seq > $2 ORDER BY seq",
        )
        .bind(id.as_str())
        .bind(doc.snapshot_seq)
        .fetch_all(&mut *tx)
        .await?;
        doc.updates = rows
            .into_iter()
            .map(|r| Ok((r.try_get("seq")?, r.try_get("data")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        tx.commit().await?;
        Ok(doc)
    }

    /// Appends updates of any number of documents in one transaction: all are durable when this
    /// returns, or none is.
    pub async fn append_updates(&self, updates: &[NewUpdate]) -> Result<(), StoreError> {
        let now = now_millis();
        let mut tx = self.pool.begin().await?;
        let documents: BTreeSet<&DocumentId> = updates.iter().map(|u| &u.document).collect();
        for id in documents {
            sqlx::query(
                "INSERT INTO documents (id, created_at, updated_at) VALUES ($1, $2, $2)
                 ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at",
            )
            .bind(id.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        // Many rows per statement: one round trip to SQLite's worker per chunk, not per update.
        for chunk in updates.chunks(ROWS_PER_INSERT) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO document_updates (document_id, data, user_name, created_at) ",
            );
            insert.push_values(chunk, |mut row, u| {
                row.push_bind(u.document.as_str())
                    .push_bind(&u.data[..])
                    .push_bind(&*u.user)
                    .push_bind(now);
            });
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the log up to `through_seq` by `snapshot` (the full state after it), in one
    /// transaction. Does nothing and returns false if the snapshot moved meanwhile (someone else
    /// compacted).
    pub async fn replace_with_snapshot(
        &self,
        id: &DocumentId,
        previous_seq: i64,
        through_seq: i64,
        snapshot: &[u8],
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let moved = sqlx::query(
            "UPDATE documents SET snapshot = $1, snapshot_seq = $2 WHERE id = $3 AND snapshot_seq = $4",
        )
        .bind(snapshot)
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
        sqlx::query("DELETE FROM document_updates WHERE document_id = $1 AND seq <= $2")
            .bind(id.as_str())
            .bind(through_seq)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
