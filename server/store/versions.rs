//! The `versions` table: named, immutable snapshots of live documents.

use sqlx::{Any, Row, Transaction};

use super::hearings::ChangeError;
use super::{Store, StoreError, now_millis};
use crate::domain::policy::UserId;

#[derive(Debug, Clone)]
pub struct VersionRow {
    pub id: i64,
    pub document_id: String,
    pub number: i64,
    pub name: String,
    pub kind: String,
    /// The content read from the state (JSON).
    pub content: String,
    pub seq: i64,
    pub created_by: Option<UserId>,
    pub created_at: i64,
}

macro_rules! columns {
    () => {
        "id, document_id, number, name, kind, content, seq, created_by, created_at"
    };
}

fn version(r: &sqlx::any::AnyRow) -> Result<VersionRow, sqlx::Error> {
    Ok(VersionRow {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        number: r.try_get("number")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        content: r.try_get("content")?,
        seq: r.try_get("seq")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Inserts a version inside the caller's transaction; numbers count up per document.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_in(
    tx: &mut Transaction<'static, Any>,
    document: &str,
    kind: &str,
    name: &str,
    state: &[u8],
    content: &str,
    seq: i64,
    by: Option<UserId>,
) -> Result<i64, ChangeError> {
    // Numbering takes the document's row lock: two versions of one document at once (on
    // PostgreSQL) get the next numbers in turn instead of one failing on the unique number.
    sqlx::query("UPDATE documents SET last_seq = last_seq WHERE id = $1")
        .bind(document)
        .execute(&mut **tx)
        .await?;
    let number: i64 = sqlx::query(
        "SELECT COALESCE(MAX(number), 0) + 1 AS n FROM versions WHERE document_id = $1",
    )
    .bind(document)
    .fetch_one(&mut **tx)
    .await?
    .try_get("n")?;
    let id: i64 = sqlx::query(
        "INSERT INTO versions (document_id, number, name, kind, state, content, seq, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(document)
    .bind(number)
    .bind(name)
    .bind(kind)
    .bind(state)
    .bind(content)
    .bind(seq)
    .bind(by)
    .bind(now_millis())
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    Ok(id)
}

impl Store {
    /// The versions of a document, oldest first (with their content: see
    /// [`Self::version_count`] for a cheap count).
    pub async fn versions(&self, document: &str) -> Result<Vec<VersionRow>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM versions WHERE document_id = $1 ORDER BY number"
        ))
        .bind(document)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(version).collect::<Result<_, _>>()?)
    }

    pub async fn version(&self, id: i64) -> Result<Option<VersionRow>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM versions WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| version(&r)).transpose()?)
    }

    /// A version's full-state update.
    pub async fn version_state(&self, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
        let row = sqlx::query("SELECT state FROM versions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("state")).transpose()?)
    }

    /// Stores a version of a document that stays live (a chair names it, or shares it).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_version(
        &self,
        document: &str,
        kind: &str,
        name: &str,
        state: &[u8],
        content: &str,
        seq: i64,
        by: Option<UserId>,
        hearing: Option<i64>,
    ) -> Result<i64, ChangeError> {
        let mut tx = self.begin_write().await?;
        let id = insert_in(&mut tx, document, kind, name, state, content, seq, by).await?;
        super::hearings::audit(
            &mut tx,
            by,
            "version.created",
            hearing,
            serde_json::json!({ "document": document, "version": id, "kind": kind, "name": name }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

impl Store {
    /// How many versions a document has.
    pub async fn version_count(&self, document: &str) -> Result<i64, StoreError> {
        Ok(
            sqlx::query("SELECT COUNT(*) AS n FROM versions WHERE document_id = $1")
                .bind(document)
                .fetch_one(&self.pool)
                .await?
                .try_get("n")?,
        )
    }
}
