//! The `users`, `committees` and `memberships` tables.

use sqlx::Row;

use super::{Store, StoreError, now_millis};
use crate::domain::policy::{CommitteeId, Principal, Role, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitteeKind {
    Main,
    Local,
}

impl CommitteeKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            CommitteeKind::Main => "main",
            CommitteeKind::Local => "local",
        }
    }
}

#[derive(Debug, Clone)]
pub struct CommitteeRow {
    pub id: CommitteeId,
    pub kind: CommitteeKind,
    pub name: String,
    pub short_name: String,
    pub parent_id: Option<CommitteeId>,
}

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub secretariat: bool,
}

/// A user found by e-mail, with the password hash to check.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: UserRow,
    pub password_hash: String,
}

fn committee(row: &sqlx::any::AnyRow) -> Result<CommitteeRow, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    Ok(CommitteeRow {
        id: row.try_get("id")?,
        kind: if kind == "main" {
            CommitteeKind::Main
        } else {
            CommitteeKind::Local
        },
        name: row.try_get("name")?,
        short_name: row.try_get("short_name")?,
        parent_id: row.try_get("parent_id")?,
    })
}

fn user(row: &sqlx::any::AnyRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        secretariat: row.try_get::<i64, _>("secretariat")? != 0,
    })
}

impl Store {
    /// Creates a user; `None` if the e-mail is taken.
    pub async fn create_user(
        &self,
        name: &str,
        email: &str,
        password_hash: &str,
        secretariat: bool,
    ) -> Result<Option<UserId>, StoreError> {
        let row = sqlx::query(
            "INSERT INTO users (name, email, password_hash, secretariat, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (email) DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(email.to_lowercase())
        .bind(password_hash)
        .bind(i64::from(secretariat))
        .bind(now_millis())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    pub async fn set_password(&self, user: UserId, password_hash: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn user_credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
        let row = sqlx::query(
            "SELECT id, name, email, secretariat, password_hash FROM users WHERE email = $1",
        )
        .bind(email.to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| {
                Ok::<_, sqlx::Error>(Credentials {
                    user: user(&r)?,
                    password_hash: r.try_get("password_hash")?,
                })
            })
            .transpose()?)
    }

    pub async fn user(&self, id: UserId) -> Result<Option<UserRow>, StoreError> {
        let row = sqlx::query("SELECT id, name, email, secretariat FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| user(&r)).transpose()?)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError> {
        let row = sqlx::query("SELECT id, name, email, secretariat FROM users WHERE email = $1")
            .bind(email.to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| user(&r)).transpose()?)
    }

    /// A user with their memberships: what the rules need.
    pub async fn principal(&self, id: UserId) -> Result<Option<Principal>, StoreError> {
        let Some(u) = self.user(id).await? else {
            return Ok(None);
        };
        let rows = sqlx::query("SELECT committee_id, role FROM memberships WHERE user_id = $1")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let mut memberships = Vec::with_capacity(rows.len());
        for r in rows {
            let role: String = r.try_get("role")?;
            if let Some(role) = Role::parse(&role) {
                memberships.push((r.try_get("committee_id")?, role));
            }
        }
        Ok(Some(Principal {
            user: u.id,
            name: u.name,
            secretariat: u.secretariat,
            memberships,
        }))
    }

    /// Creates a committee; returns the existing one's id if the short name is taken.
    pub async fn create_committee(
        &self,
        kind: CommitteeKind,
        name: &str,
        short_name: &str,
        parent: Option<CommitteeId>,
    ) -> Result<CommitteeId, StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO committees (kind, name, short_name, parent_id, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (short_name) DO NOTHING RETURNING id",
        )
        .bind(kind.as_str())
        .bind(name)
        .bind(short_name)
        .bind(parent)
        .bind(now_millis())
        .fetch_optional(&self.pool)
        .await?;
        if let Some(row) = inserted {
            return Ok(row.try_get("id")?);
        }
        Ok(
            sqlx::query("SELECT id FROM committees WHERE short_name = $1")
                .bind(short_name)
                .fetch_one(&self.pool)
                .await?
                .try_get("id")?,
        )
    }

    pub async fn committees(&self) -> Result<Vec<CommitteeRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, name, short_name, parent_id FROM committees
             ORDER BY CASE kind WHEN 'main' THEN 0 ELSE 1 END, id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(committee).collect::<Result<_, _>>()?)
    }

    pub async fn committee(&self, id: CommitteeId) -> Result<Option<CommitteeRow>, StoreError> {
        let row = sqlx::query(
            "SELECT id, kind, name, short_name, parent_id FROM committees WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| committee(&r)).transpose()?)
    }

    /// Adds `user` to `committee` with `role` (or changes the role).
    pub async fn set_membership(
        &self,
        user: UserId,
        committee: CommitteeId,
        role: Role,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO memberships (user_id, committee_id, role) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, committee_id) DO UPDATE SET role = excluded.role",
        )
        .bind(user)
        .bind(committee)
        .bind(role.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn members(
        &self,
        committee: CommitteeId,
    ) -> Result<Vec<(UserRow, Role)>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.id, u.name, u.email, u.secretariat, m.role
             FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.committee_id = $1
             ORDER BY CASE m.role WHEN 'chair' THEN 0 ELSE 1 END, u.name",
        )
        .bind(committee)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let role: String = r.try_get("role")?;
            out.push((user(&r)?, Role::parse(&role).unwrap_or(Role::Member)));
        }
        Ok(out)
    }

    /// Names of users by id (for showing who did what).
    pub async fn user_names(&self, ids: &[UserId]) -> Result<Vec<(UserId, String)>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(u) = self.user(id).await? {
                out.push((id, u.name));
            }
        }
        Ok(out)
    }
}

impl Store {
    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let rows = sqlx::query("SELECT id, name, email, secretariat FROM users ORDER BY name, id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(user).collect::<Result<_, _>>()?)
    }

    /// Removes `user` from `committee`; false if they were not a member.
    pub async fn remove_membership(
        &self,
        user: UserId,
        committee: CommitteeId,
    ) -> Result<bool, StoreError> {
        Ok(
            sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND committee_id = $2")
                .bind(user)
                .bind(committee)
                .execute(&self.pool)
                .await?
                .rows_affected()
                == 1,
        )
    }
}
