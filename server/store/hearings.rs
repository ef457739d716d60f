//! The `hearings`, `hearing_invitations`, `responses` and `hearing_files` tables. Every change of
//! state is a compare-and-set on the state it was decided from, in one transaction with its
//! audit entry: two requests racing for one transition cannot both win.

use sqlx::{Any, Row, Transaction};

use super::documents::StoredDocument;
use super::{Store, StoreError, now_millis};
use crate::domain::hearing::HearingState;
use crate::domain::policy::{CommitteeId, UserId};

#[derive(Debug, Clone)]
pub struct HearingRow {
    pub id: i64,
    pub committee_id: CommitteeId,
    pub title: String,
    pub issuing_body: String,
    pub description: String,
    pub lmu_deadline: i64,
    pub hmu_deadline: i64,
    pub state: HearingState,
    pub joint_document_id: Option<String>,
    pub created_by: UserId,
    pub created_at: i64,
    pub updated_at: i64,
    /// How many chairs must approve (`None`: all).
    pub approval_quorum: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewHearing {
    pub committee_id: CommitteeId,
    pub title: String,
    pub issuing_body: String,
    pub description: String,
    pub lmu_deadline: i64,
    pub hmu_deadline: i64,
    pub invited: Vec<CommitteeId>,
    pub approval_quorum: Option<i64>,
}

/// Changes to a hearing's fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct HearingPatch {
    pub title: Option<String>,
    pub issuing_body: Option<String>,
    pub description: Option<String>,
    pub lmu_deadline: Option<i64>,
    pub hmu_deadline: Option<i64>,
    pub invited: Option<Vec<CommitteeId>>,
    /// `Some(None)`: all chairs; `Some(Some(n))`: a quorum of n.
    pub approval_quorum: Option<Option<i64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseStatus {
    Draft,
    Submitted,
}

#[derive(Debug, Clone)]
pub struct ResponseRow {
    pub id: i64,
    pub hearing_id: i64,
    pub committee_id: CommitteeId,
    pub document_id: String,
    pub status: ResponseStatus,
    pub submitted_at: Option<i64>,
    pub submitted_by: Option<UserId>,
    pub late: bool,
    pub submitted_version_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct FileRow {
    pub id: i64,
    pub hearing_id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: UserId,
    pub uploaded_at: i64,
}

/// A hearing's document's activity, for the board.
#[derive(Debug, Clone, Default)]
pub struct DocumentActivity {
    pub last_seq: i64,
    pub updated_at: Option<i64>,
}

/// What a failed change tells the caller.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("not found")]
    NotFound,
    /// The state moved meanwhile (another request won).
    #[error("the state changed meanwhile")]
    Conflict,
    /// The change is not possible, for the reason given (in Danish).
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ChangeError {
    fn from(e: sqlx::Error) -> Self {
        ChangeError::Store(e.into())
    }
}

macro_rules! hearing_columns {
    () => {
        "id, committee_id, title, issuing_body, description, lmu_deadline, \
     hmu_deadline, state, joint_document_id, created_by, created_at, updated_at, approval_quorum"
    };
}

fn hearing(r: &sqlx::any::AnyRow) -> Result<HearingRow, sqlx::Error> {
    let state: String = r.try_get("state")?;
    Ok(HearingRow {
        id: r.try_get("id")?,
        committee_id: r.try_get("committee_id")?,
        title: r.try_get("title")?,
        issuing_body: r.try_get("issuing_body")?,
        description: r.try_get("description")?,
        lmu_deadline: r.try_get("lmu_deadline")?,
        hmu_deadline: r.try_get("hmu_deadline")?,
        state: HearingState::parse(&state)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown hearing state {state}").into()))?,
        joint_document_id: r.try_get("joint_document_id")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        approval_quorum: r.try_get("approval_quorum")?,
    })
}

macro_rules! response_columns {
    () => {
        "id, hearing_id, committee_id, document_id, status, submitted_at, \
     submitted_by, late, submitted_version_id"
    };
}

fn response(r: &sqlx::any::AnyRow) -> Result<ResponseRow, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(ResponseRow {
        id: r.try_get("id")?,
        hearing_id: r.try_get("hearing_id")?,
        committee_id: r.try_get("committee_id")?,
        document_id: r.try_get("document_id")?,
        status: if status == "submitted" {
            ResponseStatus::Submitted
        } else {
            ResponseStatus::Draft
        },
        submitted_at: r.try_get("submitted_at")?,
        submitted_by: r.try_get("submitted_by")?,
        late: r.try_get::<i64, _>("late")? != 0,
        submitted_version_id: r.try_get("submitted_version_id")?,
    })
}

macro_rules! file_columns {
    () => {
        "id, hearing_id, name, content_type, size, sha256, uploaded_by, uploaded_at"
    };
}

fn file(r: &sqlx::any::AnyRow) -> Result<FileRow, sqlx::Error> {
    Ok(FileRow {
        id: r.try_get("id")?,
        hearing_id: r.try_get("hearing_id")?,
        name: r.try_get("name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

/// Writes an audit entry inside the caller's transaction.
pub(crate) async fn audit(
    tx: &mut Transaction<'static, Any>,
    user: Option<UserId>,
    action: &str,
    hearing: Option<i64>,
    detail: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, action, hearing_id, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now_millis())
    .bind(user)
    .bind(action)
    .bind(hearing)
    .bind(detail.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets the `locked` flag of every document of a hearing as its state `to` requires, inside
/// the caller's transaction and from what the database holds in it (a response submitted or
/// reopened meanwhile counts as it is now): a response is locked when it is submitted or the
/// hearing no longer takes responses; the joint response when the chairs may not edit it.
async fn lock_for_state(
    tx: &mut Transaction<'static, Any>,
    hearing: i64,
    to: HearingState,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE documents SET locked = CASE
             WHEN (SELECT r.status FROM responses r WHERE r.document_id = documents.id) = 'submitted'
             THEN 1 ELSE $1 END
         WHERE id IN (SELECT document_id FROM responses WHERE hearing_id = $2)",
    )
    .bind(i64::from(!to.accepts_responses()))
    .bind(hearing)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE documents SET locked = $1
         WHERE id = (SELECT joint_document_id FROM hearings WHERE id = $2)",
    )
    .bind(i64::from(!to.joint_editable()))
    .bind(hearing)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Makes sure a live document has its row (so it can be locked before anyone wrote to it).
async fn ensure_document(
    tx: &mut Transaction<'static, Any>,
    id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO documents (id, created_at, updated_at) VALUES ($1, $2, $2)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    pub async fn create_hearing(&self, h: &NewHearing, by: UserId) -> Result<i64, StoreError> {
        let now = now_millis();
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO hearings (committee_id, title, issuing_body, description, lmu_deadline,
                 hmu_deadline, state, created_by, created_at, updated_at, approval_quorum)
             VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $8, $9) RETURNING id",
        )
        .bind(h.committee_id)
        .bind(&h.title)
        .bind(&h.issuing_body)
        .bind(&h.description)
        .bind(h.lmu_deadline)
        .bind(h.hmu_deadline)
        .bind(by)
        .bind(now)
        .bind(h.approval_quorum)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for c in &h.invited {
            sqlx::query(
                "INSERT INTO hearing_invitations (hearing_id, committee_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(c)
            .execute(&mut *tx)
            .await?;
        }
        audit(
            &mut tx,
            Some(by),
            "hearing.created",
            Some(id),
            serde_json::json!({ "title": h.title, "invited": h.invited }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes fields of a hearing that is in `expected` state.
    pub async fn update_hearing(
        &self,
        id: i64,
        expected: HearingState,
        patch: &HearingPatch,
        by: UserId,
    ) -> Result<(), ChangeError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE hearings SET
                title = COALESCE($1, title),
                issuing_body = COALESCE($2, issuing_body),
                description = COALESCE($3, description),
                lmu_deadline = COALESCE($4, lmu_deadline),
                hmu_deadline = COALESCE($5, hmu_deadline),
                updated_at = $6
             WHERE id = $7 AND state = $8",
        )
        .bind(patch.title.as_deref())
        .bind(patch.issuing_body.as_deref())
        .bind(patch.description.as_deref())
        .bind(patch.lmu_deadline)
        .bind(patch.hmu_deadline)
        .bind(now_millis())
        .bind(id)
        .bind(expected.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(ChangeError::Conflict);
        }
        if let Some(quorum) = patch.approval_quorum {
            sqlx::query("UPDATE hearings SET approval_quorum = $1 WHERE id = $2")
                .bind(quorum)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(invited) = &patch.invited {
            sqlx::query("DELETE FROM hearing_invitations WHERE hearing_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for c in invited {
                sqlx::query(
                    "INSERT INTO hearing_invitations (hearing_id, committee_id) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(c)
                .execute(&mut *tx)
                .await?;
            }
        }
        let mut detail = serde_json::Map::new();
        if let Some(v) = &patch.title {
            detail.insert("title".into(), v.clone().into());
        }
        if let Some(v) = &patch.issuing_body {
            detail.insert("issuing_body".into(), v.clone().into());
        }
        if patch.description.is_some() {
            detail.insert("description".into(), true.into());
        }
        if let Some(v) = patch.lmu_deadline {
            detail.insert("lmu_deadline".into(), v.into());
        }
        if let Some(v) = patch.hmu_deadline {
            detail.insert("hmu_deadline".into(), v.into());
        }
        if let Some(v) = &patch.invited {
            detail.insert("invited".into(), serde_json::json!(v));
        }
        if let Some(v) = patch.approval_quorum {
            detail.insert("approval_quorum".into(), serde_json::json!(v));
        }
        audit(
            &mut tx,
            Some(by),
            "hearing.updated",
            Some(id),
            detail.into(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn hearing(&self, id: i64) -> Result<Option<HearingRow>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            hearing_columns!(),
            " FROM hearings WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| hearing(&r)).transpose()?)
    }

    pub async fn hearings(&self) -> Result<Vec<HearingRow>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            hearing_columns!(),
            " FROM hearings ORDER BY lmu_deadline DESC, id DESC"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(hearing).collect::<Result<_, _>>()?)
    }

    /// Hearings in `state` whose LMU deadline is at or before `now`.
    pub async fn hearings_due(
        &self,
        state: HearingState,
        now: i64,
    ) -> Result<Vec<HearingRow>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            hearing_columns!(),
            " FROM hearings WHERE state = $1 AND lmu_deadline <= $2"
        ))
        .bind(state.as_str())
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(hearing).collect::<Result<_, _>>()?)
    }

    pub async fn invited(&self, hearing: i64) -> Result<Vec<CommitteeId>, StoreError> {
        let rows = sqlx::query(
            "SELECT committee_id FROM hearing_invitations WHERE hearing_id = $1 ORDER BY committee_id",
        )
        .bind(hearing)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get("committee_id"))
            .collect::<Result<_, _>>()?)
    }

    /// Sends a draft hearing into hearing: one response document per invited LMU and the joint
    /// response's document, in one transaction.
    pub async fn open_hearing(
        &self,
        id: i64,
        by: UserId,
        joint_document: &str,
        responses: &[(CommitteeId, String)],
    ) -> Result<(), ChangeError> {
        let now = now_millis();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE hearings SET state = 'collecting', joint_document_id = $1, updated_at = $2
             WHERE id = $3 AND state = 'draft'",
        )
        .bind(joint_document)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(ChangeError::Conflict);
        }
        ensure_document(&mut tx, joint_document, now).await?;
        for (committee, document) in responses {
            ensure_document(&mut tx, document, now).await?;
            sqlx::query(
                "INSERT INTO responses (hearing_id, committee_id, document_id, status)
                 VALUES ($1, $2, $3, 'draft')",
            )
            .bind(id)
            .bind(committee)
            .bind(document)
            .execute(&mut *tx)
            .await?;
        }
        lock_for_state(&mut tx, id, HearingState::Collecting).await?;
        audit(
            &mut tx,
            Some(by),
            "hearing.opened",
            Some(id),
            serde_json::json!({ "responses": responses.len() }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a hearing from `from` to `to` (or, with `from == to`, checks that it is still in
    /// that state), with an audit entry, and locks or unlocks its documents as the new state
    /// requires. `by` is `None` when the server itself does it (a deadline passed).
    pub async fn set_hearing_state(
        &self,
        id: i64,
        from: HearingState,
        to: HearingState,
        by: Option<UserId>,
        action: &str,
        detail: serde_json::Value,
    ) -> Result<(), ChangeError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE hearings SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
        )
        .bind(to.as_str())
        .bind(now_millis())
        .bind(id)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(ChangeError::Conflict);
        }
        lock_for_state(&mut tx, id, to).await?;
        audit(&mut tx, by, action, Some(id), detail).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn responses(&self, hearing: i64) -> Result<Vec<ResponseRow>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            response_columns!(),
            " FROM responses WHERE hearing_id = $1 ORDER BY committee_id"
        ))
        .bind(hearing)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(response).collect::<Result<_, _>>()?)
    }

    pub async fn response(&self, id: i64) -> Result<Option<ResponseRow>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            response_columns!(),
            " FROM responses WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| response(&r)).transpose()?)
    }

    pub async fn response_by_document(
        &self,
        document: &str,
    ) -> Result<Option<ResponseRow>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            response_columns!(),
            " FROM responses WHERE document_id = $1"
        ))
        .bind(document)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| response(&r)).transpose()?)
    }

    pub async fn hearing_by_joint_document(
        &self,
        document: &str,
    ) -> Result<Option<HearingRow>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            hearing_columns!(),
            " FROM hearings WHERE joint_document_id = $1"
        ))
        .bind(document)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| hearing(&r)).transpose()?)
    }

    /// Submits a draft response: locks its document, keeps the committed text as an immutable
    /// version (built by `make_version` from exactly what storage holds once the document is
    /// locked), marks it late if it is, all in one transaction. Returns the version's id.
    pub async fn submit_response<F>(
        &self,
        id: i64,
        by: UserId,
        late: bool,
        version_name: &str,
        make_version: F,
    ) -> Result<i64, ChangeError>
    where
        F: FnOnce(&StoredDocument) -> Result<(Vec<u8>, String), String>,
    {
        let now = now_millis();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE responses SET status = 'submitted', submitted_at = $1, submitted_by = $2, late = $3
             WHERE id = $4 AND status = 'draft' RETURNING document_id, hearing_id, committee_id",
        )
        .bind(now)
        .bind(by)
        .bind(i64::from(late))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ChangeError::Conflict)?;
        let document: String = row.try_get("document_id")?;
        let hearing: i64 = row.try_get("hearing_id")?;
        let committee: i64 = row.try_get("committee_id")?;
        let version = lock_and_version(
            &mut tx,
            &document,
            "submitted",
            version_name,
            Some(by),
            make_version,
        )
        .await?;
        sqlx::query("UPDATE responses SET submitted_version_id = $1 WHERE id = $2")
            .bind(version)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(by),
            "response.submitted",
            Some(hearing),
            serde_json::json!({ "response": id, "committee": committee, "late": late, "version": version }),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Reopens a submitted response: its document is writable again.
    pub async fn reopen_response(&self, id: i64, by: UserId) -> Result<(), ChangeError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE responses SET status = 'draft', submitted_at = NULL, submitted_by = NULL,
                 late = 0, submitted_version_id = NULL
             WHERE id = $1 AND status = 'submitted' RETURNING document_id, hearing_id, committee_id",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ChangeError::Conflict)?;
        let document: String = row.try_get("document_id")?;
        let hearing: i64 = row.try_get("hearing_id")?;
        let committee: i64 = row.try_get("committee_id")?;
        sqlx::query("UPDATE documents SET locked = 0 WHERE id = $1")
            .bind(&document)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(by),
            "response.reopened",
            Some(hearing),
            serde_json::json!({ "response": id, "committee": committee }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a document is locked in the database.
    pub async fn document_locked(&self, id: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT locked FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get::<i64, _>("locked")? != 0,
            None => false,
        })
    }

    /// Sequence number and last change of each document.
    pub async fn document_activity(&self, id: &str) -> Result<DocumentActivity, StoreError> {
        let row = sqlx::query("SELECT last_seq, updated_at FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => DocumentActivity {
                last_seq: r.try_get("last_seq")?,
                updated_at: Some(r.try_get("updated_at")?),
            },
            None => DocumentActivity::default(),
        })
    }

    pub async fn add_file(
        &self,
        hearing: i64,
        name: &str,
        content_type: &str,
        sha256: &str,
        data: &[u8],
        by: UserId,
    ) -> Result<FileRow, StoreError> {
        let now = now_millis();
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO hearing_files (hearing_id, name, content_type, size, sha256, data,
                 uploaded_by, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(hearing)
        .bind(name)
        .bind(content_type)
        .bind(data.len() as i64)
        .bind(sha256)
        .bind(data)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "file.uploaded",
            Some(hearing),
            serde_json::json!({ "file": id, "name": name, "size": data.len(), "sha256": sha256 }),
        )
        .await?;
        tx.commit().await?;
        Ok(FileRow {
            id,
            hearing_id: hearing,
            name: name.to_owned(),
            content_type: content_type.to_owned(),
            size: data.len() as i64,
            sha256: sha256.to_owned(),
            uploaded_by: by,
            uploaded_at: now,
        })
    }

    pub async fn files(&self, hearing: i64) -> Result<Vec<FileRow>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            file_columns!(),
            " FROM hearing_files WHERE hearing_id = $1 ORDER BY id"
        ))
        .bind(hearing)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(file).collect::<Result<_, _>>()?)
    }

    /// A file of a hearing with its bytes.
    pub async fn file_data(
        &self,
        hearing: i64,
        id: i64,
    ) -> Result<Option<(FileRow, Vec<u8>)>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            file_columns!(),
            ", data FROM hearing_files WHERE id = $1 AND hearing_id = $2"
        ))
        .bind(id)
        .bind(hearing)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| Ok::<_, sqlx::Error>((file(&r)?, r.try_get("data")?)))
            .transpose()?)
    }

    pub async fn delete_file(&self, hearing: i64, id: i64, by: UserId) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "DELETE FROM hearing_files WHERE id = $1 AND hearing_id = $2 RETURNING name",
        )
        .bind(id)
        .bind(hearing)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let name: String = row.try_get("name")?;
        audit(
            &mut tx,
            Some(by),
            "file.deleted",
            Some(hearing),
            serde_json::json!({ "file": id, "name": name }),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Locks a document for good (no process may commit to it again) and stores its committed state
/// as a version, inside the caller's transaction. Returns the version's id.
pub(crate) async fn lock_and_version<F>(
    tx: &mut Transaction<'static, Any>,
    document: &str,
    kind: &str,
    name: &str,
    by: Option<UserId>,
    make_version: F,
) -> Result<i64, ChangeError>
where
    F: FnOnce(&StoredDocument) -> Result<(Vec<u8>, String), String>,
{
    let now = now_millis();
    ensure_document(tx, document, now).await?;
    // Taking the row lock first: commits to this document wait, then see it locked.
    sqlx::query("UPDATE documents SET locked = 1 WHERE id = $1")
        .bind(document)
        .execute(&mut **tx)
        .await?;
    let stored = super::documents::load_in(tx, document).await?;
    let seq = stored.last_seq();
    let (state, content) = make_version(&stored).map_err(ChangeError::Refused)?;
    super::versions::insert_in(tx, document, kind, name, &state, &content, seq, by).await
}
