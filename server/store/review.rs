//! The `review_seen`, `comments`, `positions` and `approvals` tables: the HMU's review of the
//! shared joint response and the chairs' approvals.

use sqlx::Row;

use super::hearings::{ChangeError, audit};
use super::{Store, StoreError, now_millis};
use crate::domain::policy::UserId;

#[derive(Debug, Clone)]
pub struct CommentRow {
    pub id: i64,
    pub hearing_id: i64,
    pub version_id: Option<i64>,
    pub anchor_start: Option<Vec<u8>>,
    pub anchor_end: Option<Vec<u8>>,
    pub quote: String,
    pub body: String,
    pub author_id: UserId,
    pub author_name: String,
    pub created_at: i64,
    pub resolved_by: Option<UserId>,
    pub resolved_at: Option<i64>,
    pub resolution: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewComment {
    pub hearing_id: i64,
    pub version_id: Option<i64>,
    pub anchor_start: Option<Vec<u8>>,
    pub anchor_end: Option<Vec<u8>>,
    pub quote: String,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct PositionRow {
    pub change_key: String,
    pub user_id: UserId,
    pub user_name: String,
    pub agree: bool,
    pub note: String,
    pub at: i64,
}

#[derive(Debug, Clone)]
pub struct ApprovalRow {
    pub id: i64,
    pub version_id: i64,
    pub user_id: UserId,
    pub user_name: String,
    pub at: i64,
    pub voided_at: Option<i64>,
    pub void_reason: Option<String>,
}

fn comment(r: &sqlx::any::AnyRow) -> Result<CommentRow, sqlx::Error> {
    Ok(CommentRow {
        id: r.try_get("id")?,
        hearing_id: r.try_get("hearing_id")?,
        version_id: r.try_get("version_id")?,
        anchor_start: r.try_get("anchor_start")?,
        anchor_end: r.try_get("anchor_end")?,
        quote: r.try_get("quote")?,
        body: r.try_get("body")?,
        author_id: r.try_get("author_id")?,
        author_name: r.try_get("author_name")?,
        created_at: r.try_get("created_at")?,
        resolved_by: r.try_get("resolved_by")?,
        resolved_at: r.try_get("resolved_at")?,
        resolution: r.try_get("resolution")?,
    })
}

impl Store {
    /// Notes the shared version a member has now seen.
    pub async fn mark_seen(
        &self,
        hearing: i64,
        user: UserId,
        version: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO review_seen (hearing_id, user_id, version_id, seen_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (hearing_id, user_id) DO UPDATE
             SET version_id = excluded.version_id, seen_at = excluded.seen_at",
        )
        .bind(hearing)
        .bind(user)
        .bind(version)
        .bind(now_millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn last_seen(&self, hearing: i64, user: UserId) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query(
            "SELECT version_id FROM review_seen WHERE hearing_id = $1 AND user_id = $2",
        )
        .bind(hearing)
        .bind(user)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.try_get("version_id")).transpose()?)
    }

    pub async fn add_comment(&self, c: &NewComment, by: UserId) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO comments (hearing_id, version_id, anchor_start, anchor_end, quote, body,
                 author_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(c.hearing_id)
        .bind(c.version_id)
        .bind(c.anchor_start.as_deref())
        .bind(c.anchor_end.as_deref())
        .bind(&c.quote)
        .bind(&c.body)
        .bind(by)
        .bind(now_millis())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "comment.added",
            Some(c.hearing_id),
            serde_json::json!({ "comment": id, "version": c.version_id }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn comments(&self, hearing: i64) -> Result<Vec<CommentRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.hearing_id, c.version_id, c.anchor_start, c.anchor_end, c.quote, c.body,
                    c.author_id, u.name AS author_name, c.created_at, c.resolved_by, c.resolved_at,
                    c.resolution
             FROM comments c JOIN users u ON u.id = c.author_id
             WHERE c.hearing_id = $1 ORDER BY c.id",
        )
        .bind(hearing)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(comment).collect::<Result<_, _>>()?)
    }

    /// Resolves an open comment of `hearing`.
    pub async fn resolve_comment(
        &self,
        hearing: i64,
        id: i64,
        by: UserId,
        resolution: &str,
    ) -> Result<(), ChangeError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE comments SET resolved_by = $1, resolved_at = $2, resolution = $3
             WHERE id = $4 AND hearing_id = $5 AND resolved_at IS NULL",
        )
        .bind(by)
        .bind(now_millis())
        .bind(resolution)
        .bind(id)
        .bind(hearing)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(ChangeError::Conflict);
        }
        audit(
            &mut tx,
            Some(by),
            "comment.resolved",
            Some(hearing),
            serde_json::json!({ "comment": id, "resolution": resolution }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records (or changes) a member's position on one change of a shared version.
    pub async fn set_position(
        &self,
        hearing: i64,
        version: i64,
        change_key: &str,
        user: UserId,
        agree: bool,
        note: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO positions (version_id, change_key, user_id, position, note, at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (version_id, change_key, user_id) DO UPDATE
             SET position = excluded.position, note = excluded.note, at = excluded.at",
        )
        .bind(version)
        .bind(change_key)
        .bind(user)
        .bind(if agree { "agree" } else { "object" })
        .bind(note)
        .bind(now_millis())
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            Some(user),
            "position.recorded",
            Some(hearing),
            serde_json::json!({ "version": version, "change": change_key, "position": if agree { "agree" } else { "object" } }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn positions(&self, version: i64) -> Result<Vec<PositionRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.change_key, p.user_id, u.name AS user_name, p.position, p.note, p.at
             FROM positions p JOIN users u ON u.id = p.user_id
             WHERE p.version_id = $1 ORDER BY p.at",
        )
        .bind(version)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let position: String = r.try_get("position")?;
            out.push(PositionRow {
                change_key: r.try_get("change_key")?,
                user_id: r.try_get("user_id")?,
                user_name: r.try_get("user_name")?,
                agree: position == "agree",
                note: r.try_get("note")?,
                at: r.try_get("at")?,
            });
        }
        Ok(out)
    }

    /// Records a chair's approval of `version`; `None` if they have an approval of it in force.
    pub async fn add_approval(
        &self,
        hearing: i64,
        version: i64,
        by: UserId,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        let existing = sqlx::query(
            "SELECT id FROM approvals
             WHERE hearing_id = $1 AND version_id = $2 AND user_id = $3 AND voided_at IS NULL",
        )
        .bind(hearing)
        .bind(version)
        .bind(by)
        .fetch_optional(&mut *tx)
        .await?;
        if existing.is_some() {
            return Ok(None);
        }
        // The partial unique index (one approval in force per chair and version) decides a
        // double click: the second insert adds nothing.
        let row = sqlx::query(
            "INSERT INTO approvals (hearing_id, version_id, user_id, at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(hearing)
        .bind(version)
        .bind(by)
        .bind(now_millis())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: i64 = row.try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "approval.given",
            Some(hearing),
            serde_json::json!({ "version": version, "approval": id }),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Every approval of a hearing, in force or void, oldest first.
    pub async fn approvals(&self, hearing: i64) -> Result<Vec<ApprovalRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.version_id, a.user_id, u.name AS user_name, a.at, a.voided_at, a.void_reason
             FROM approvals a JOIN users u ON u.id = a.user_id
             WHERE a.hearing_id = $1 ORDER BY a.id",
        )
        .bind(hearing)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(ApprovalRow {
                id: r.try_get("id")?,
                version_id: r.try_get("version_id")?,
                user_id: r.try_get("user_id")?,
                user_name: r.try_get("user_name")?,
                at: r.try_get("at")?,
                voided_at: r.try_get("voided_at")?,
                void_reason: r.try_get("void_reason")?,
            });
        }
        Ok(out)
    }

    /// Voids every approval of a hearing in force, with the reason; returns how many.
    pub async fn void_approvals(
        &self,
        hearing: i64,
        reason: &str,
        by: Option<UserId>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE approvals SET voided_at = $1, void_reason = $2
             WHERE hearing_id = $3 AND voided_at IS NULL",
        )
        .bind(now_millis())
        .bind(reason)
        .bind(hearing)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n > 0 {
            audit(
                &mut tx,
                by,
                "approval.voided",
                Some(hearing),
                serde_json::json!({ "approvals": n, "reason": reason }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Records which user a Yjs client id of a document belongs to (the first one wins).
    pub async fn record_clients(
        &self,
        document: &str,
        clients: &[u64],
        user: &str,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        for &client in clients {
            sqlx::query(
                "INSERT INTO document_clients (document_id, client_id, user_name, first_seen)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (document_id, client_id) DO NOTHING",
            )
            .bind(document)
            .bind(client as i64)
            .bind(user)
            .bind(now)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// The user of every Yjs client id recorded for a document.
    pub async fn document_clients(&self, document: &str) -> Result<Vec<(u64, String)>, StoreError> {
        let rows =
            sqlx::query("SELECT client_id, user_name FROM document_clients WHERE document_id = $1")
                .bind(document)
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push((
                r.try_get::<i64, _>("client_id")? as u64,
                r.try_get("user_name")?,
            ));
        }
        Ok(out)
    }
}
