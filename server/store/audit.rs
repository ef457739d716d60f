//! Reading the `audit_log` table (entries are written by the store method that makes each
//! change, in its transaction).

use sqlx::Row;

use super::{Store, StoreError};
use crate::domain::policy::UserId;

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub user_id: Option<UserId>,
    pub user_name: Option<String>,
    pub action: String,
    pub hearing_id: Option<i64>,
    pub detail: serde_json::Value,
}

impl Store {
    /// Writes an audit entry on its own (changes that have no transaction of their own).
    pub async fn audit(
        &self,
        user: Option<UserId>,
        action: &str,
        hearing: Option<i64>,
        detail: serde_json::Value,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        super::hearings::audit(&mut tx, user, action, hearing, detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every audit entry, newest first.
    pub async fn audit_all(&self, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.at, a.user_id, u.name AS user_name, a.action, a.hearing_id, a.detail
             FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
             ORDER BY a.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(row)
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }

    /// A hearing's audit entries, newest first.
    pub async fn audit_log(&self, hearing: i64, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.at, a.user_id, u.name AS user_name, a.action, a.hearing_id, a.detail
             FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
             WHERE a.hearing_id = $1 ORDER BY a.id DESC LIMIT $2",
        )
        .bind(hearing)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(row)
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    }
}

fn row(r: &sqlx::any::AnyRow) -> Result<AuditRow, sqlx::Error> {
    let detail: String = r.try_get("detail")?;
    Ok(AuditRow {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        user_id: r.try_get("user_id")?,
        user_name: r.try_get("user_name")?,
        action: r.try_get("action")?,
        hearing_id: r.try_get("hearing_id")?,
        detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
    })
}
