//! The `records` table: the frozen joint response, its canonical HTML and SHA-256.

use sqlx::Row;

use super::documents::StoredDocument;
use super::hearings::{ChangeError, audit};
use super::{Store, StoreError, now_millis};
use crate::domain::policy::UserId;

#[derive(Debug, Clone)]
pub struct RecordRow {
    pub id: i64,
    pub hearing_id: i64,
    pub version_id: i64,
    pub form: String,
    pub html: String,
    pub blocks: String,
    pub sha256: String,
    /// JSON: [{id, name, at}]
    pub approved_by: String,
    pub frozen_by: UserId,
    pub frozen_at: i64,
}

/// What freezing makes of the stored joint response.
pub struct Frozen {
    /// The full-state update (the version's state).
    pub state: Vec<u8>,
    /// The version's content (JSON).
    pub content: String,
    pub form: String,
    pub html: String,
    pub blocks: String,
    pub sha256: String,
}

macro_rules! record_columns {
    () => {
        "id, hearing_id, version_id, form, html, blocks, sha256, approved_by, frozen_by, frozen_at"
    };
}

fn record(r: &sqlx::any::AnyRow) -> Result<RecordRow, sqlx::Error> {
    Ok(RecordRow {
        id: r.try_get("id")?,
        hearing_id: r.try_get("hearing_id")?,
        version_id: r.try_get("version_id")?,
        form: r.try_get("form")?,
        html: r.try_get("html")?,
        blocks: r.try_get("blocks")?,
        sha256: r.try_get("sha256")?,
        approved_by: r.try_get("approved_by")?,
        frozen_by: r.try_get("frozen_by")?,
        frozen_at: r.try_get("frozen_at")?,
    })
}

impl Store {
    /// Freezes an approved hearing in one transaction: the joint response's document is locked
    /// for good, its committed state kept as the `frozen` version, the record made from it by
    /// `make`, and the hearing moved to `frozen`. Returns the record's id.
    #[allow(clippy::too_many_arguments)]
    pub async fn freeze<F>(
        &self,
        hearing: i64,
        document: &str,
        version_name: &str,
        approved_by: &serde_json::Value,
        by: UserId,
        make: F,
    ) -> Result<i64, ChangeError>
    where
        F: FnOnce(&StoredDocument) -> Result<Frozen, String>,
    {
        let now = now_millis();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE hearings SET state = 'frozen', updated_at = $1 WHERE id = $2 AND state = 'approved'",
        )
        .bind(now)
        .bind(hearing)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(ChangeError::Conflict);
        }
        let mut frozen = None;
        let version = super::hearings::lock_and_version(
            &mut tx,
            document,
            "frozen",
            version_name,
            Some(by),
            |stored| {
                let f = make(stored)?;
                let out = (f.state.clone(), f.content.clone());
                frozen = Some(f);
                Ok(out)
            },
        )
        .await?;
        let Some(f) = frozen else {
            return Err(ChangeError::Conflict);
        };
        let id: i64 = sqlx::query(
            "INSERT INTO records (hearing_id, version_id, form, html, blocks, sha256, approved_by,
                 frozen_by, frozen_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(hearing)
        .bind(version)
        .bind(&f.form)
        .bind(&f.html)
        .bind(&f.blocks)
        .bind(&f.sha256)
        .bind(approved_by.to_string())
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "hearing.frozen",
            Some(hearing),
            serde_json::json!({ "record": id, "version": version, "sha256": f.sha256 }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn record(&self, id: i64) -> Result<Option<RecordRow>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            record_columns!(),
            " FROM records WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| record(&r)).transpose()?)
    }

    pub async fn record_of_hearing(&self, hearing: i64) -> Result<Option<RecordRow>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            record_columns!(),
            " FROM records WHERE hearing_id = $1"
        ))
        .bind(hearing)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| record(&r)).transpose()?)
    }
}
