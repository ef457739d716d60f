//! The `sessions`, `api_tokens` and `login_failures` tables. Only SHA-256 hashes of the secrets
//! are stored: a copy of the database opens no session.

use sqlx::Row;

use super::{Store, StoreError, now_millis};
use crate::domain::policy::UserId;

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub user: UserId,
    pub csrf_token: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        // Expired sessions go when someone logs in: no sweeper needed.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user)
        .bind(csrf_token)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The live session with this token hash.
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        let row = sqlx::query(
            "SELECT user_id, csrf_token, expires_at FROM sessions
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_millis())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| {
                Ok::<_, sqlx::Error>(SessionRow {
                    user: r.try_get("user_id")?,
                    csrf_token: r.try_get("csrf_token")?,
                    expires_at: r.try_get("expires_at")?,
                })
            })
            .transpose()?)
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failed login and returns how many failures the e-mail has since `since`.
    pub async fn record_login_failure(&self, email: &str, since: i64) -> Result<i64, StoreError> {
        let now = now_millis();
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(since)
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO login_failures (email, at) VALUES ($1, $2)")
            .bind(email)
            .bind(now)
            .execute(&self.pool)
            .await?;
        self.login_failures(email, since).await
    }

    pub async fn login_failures(&self, email: &str, since: i64) -> Result<i64, StoreError> {
        Ok(
            sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE email = $1 AND at >= $2")
                .bind(email)
                .bind(since)
                .fetch_one(&self.pool)
                .await?
                .try_get("n")?,
        )
    }

    pub async fn clear_login_failures(&self, email: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE email = $1")
            .bind(email)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
    ) -> Result<ApiTokenRow, StoreError> {
        let now = now_millis();
        let id: i64 = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user)
        .bind(name)
        .bind(token_hash)
        .bind(now)
        .fetch_one(&self.pool)
        .await?
        .try_get("id")?;
        Ok(ApiTokenRow {
            id,
            name: name.to_owned(),
            created_at: now,
            last_used_at: None,
        })
    }

    pub async fn api_tokens(&self, user: UserId) -> Result<Vec<ApiTokenRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, created_at, last_used_at FROM api_tokens
             WHERE user_id = $1 ORDER BY id",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(ApiTokenRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                created_at: r.try_get("created_at")?,
                last_used_at: r.try_get("last_used_at")?,
            });
        }
        Ok(out)
    }

    /// Revokes one of `user`'s tokens; false if there is no such token of theirs.
    pub async fn delete_api_token(&self, user: UserId, id: i64) -> Result<bool, StoreError> {
        Ok(
            sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user)
                .execute(&self.pool)
                .await?
                .rows_affected()
                == 1,
        )
    }

    /// The user an API token belongs to (and notes its use).
    pub async fn api_token_user(&self, token_hash: &str) -> Result<Option<UserId>, StoreError> {
        let row = sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 RETURNING user_id",
        )
        .bind(now_millis())
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.try_get("user_id")).transpose()?)
    }
}
