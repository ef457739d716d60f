//! The `meetings`, `agenda_items` and `attachments` tables.

use sqlx::Row;

use super::hearings::{ChangeError, audit};
use super::{Store, StoreError, now_millis};
use crate::domain::policy::{CommitteeId, UserId};

#[derive(Debug, Clone)]
pub struct MeetingRow {
    pub id: i64,
    pub committee_id: CommitteeId,
    pub date: String,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub place: String,
    pub initials: String,
    pub minutes: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct MeetingFields {
    pub date: String,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub place: String,
    pub initials: String,
}

#[derive(Debug, Clone)]
pub struct ItemRow {
    pub id: i64,
    pub meeting_id: i64,
    pub number: i64,
    pub title: String,
    pub time_start: Option<String>,
    pub time_end: Option<String>,
    pub case_number: String,
    /// JSON list of strings.
    pub recommendation: String,
    pub presentation: String,
    pub decision: String,
}

#[derive(Debug, Clone, Default)]
pub struct ItemFields {
    pub title: String,
    pub time_start: Option<String>,
    pub time_end: Option<String>,
    pub case_number: String,
    pub recommendation: Vec<String>,
    pub presentation: String,
    pub decision: String,
}

#[derive(Debug, Clone)]
pub struct AttachmentRow {
    pub id: i64,
    pub agenda_item_id: i64,
    pub parent_id: Option<i64>,
    pub position: i64,
    pub title: String,
    pub kind: String,
    pub record_id: Option<i64>,
    pub version_id: Option<i64>,
    pub file_id: Option<i64>,
}

/// One attachment to file, with what hangs under it.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub title: String,
    pub kind: &'static str,
    pub record_id: Option<i64>,
    pub version_id: Option<i64>,
    pub children: Vec<NewAttachment>,
}

macro_rules! meeting_columns {
    () => {
        "id, committee_id, date, start_time, end_time, place, initials, minutes, created_at"
    };
}

macro_rules! item_columns {
    () => {
        "id, meeting_id, number, title, time_start, time_end, case_number, recommendation, \
         presentation, decision"
    };
}

fn meeting(r: &sqlx::any::AnyRow) -> Result<MeetingRow, sqlx::Error> {
    Ok(MeetingRow {
        id: r.try_get("id")?,
        committee_id: r.try_get("committee_id")?,
        date: r.try_get("date")?,
        start_time: r.try_get("start_time")?,
        end_time: r.try_get("end_time")?,
        place: r.try_get("place")?,
        initials: r.try_get("initials")?,
        minutes: r.try_get::<i64, _>("minutes")? != 0,
        created_at: r.try_get("created_at")?,
    })
}

fn item(r: &sqlx::any::AnyRow) -> Result<ItemRow, sqlx::Error> {
    Ok(ItemRow {
        id: r.try_get("id")?,
        meeting_id: r.try_get("meeting_id")?,
        number: r.try_get("number")?,
        title: r.try_get("title")?,
        time_start: r.try_get("time_start")?,
        time_end: r.try_get("time_end")?,
        case_number: r.try_get("case_number")?,
        recommendation: r.try_get("recommendation")?,
        presentation: r.try_get("presentation")?,
        decision: r.try_get("decision")?,
    })
}

impl Store {
    pub async fn create_meeting(
        &self,
        committee: CommitteeId,
        m: &MeetingFields,
        by: UserId,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO meetings (committee_id, date, start_time, end_time, place, initials,
                 created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(committee)
        .bind(&m.date)
        .bind(m.start_time.as_deref())
        .bind(m.end_time.as_deref())
        .bind(&m.place)
        .bind(&m.initials)
        .bind(by)
        .bind(now_millis())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "meeting.created",
            None,
            serde_json::json!({ "meeting": id, "date": m.date }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_meeting(
        &self,
        id: i64,
        m: &MeetingFields,
        minutes: bool,
        by: UserId,
    ) -> Result<(), ChangeError> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE meetings SET date = $1, start_time = $2, end_time = $3, place = $4,
                 initials = $5, minutes = $6 WHERE id = $7",
        )
        .bind(&m.date)
        .bind(m.start_time.as_deref())
        .bind(m.end_time.as_deref())
        .bind(&m.place)
        .bind(&m.initials)
        .bind(i64::from(minutes))
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(ChangeError::NotFound);
        }
        audit(
            &mut tx,
            Some(by),
            "meeting.updated",
            None,
            serde_json::json!({ "meeting": id, "minutes": minutes }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn meetings(&self) -> Result<Vec<MeetingRow>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            meeting_columns!(),
            " FROM meetings ORDER BY date DESC, id DESC"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(meeting).collect::<Result<_, _>>()?)
    }

    pub async fn meeting(&self, id: i64) -> Result<Option<MeetingRow>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            meeting_columns!(),
            " FROM meetings WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| meeting(&r)).transpose()?)
    }

    /// Adds an item at the end of the agenda (its number is the next free one).
    pub async fn add_item(
        &self,
        meeting: i64,
        f: &ItemFields,
        by: UserId,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let number: i64 = sqlx::query(
            "SELECT COALESCE(MAX(number), 0) + 1 AS n FROM agenda_items WHERE meeting_id = $1",
        )
        .bind(meeting)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        let id: i64 = sqlx::query(
            "INSERT INTO agenda_items (meeting_id, number, title, time_start, time_end, case_number,
                 recommendation, presentation, decision)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(meeting)
        .bind(number)
        .bind(&f.title)
        .bind(f.time_start.as_deref())
        .bind(f.time_end.as_deref())
        .bind(&f.case_number)
        .bind(serde_json::to_string(&f.recommendation).unwrap_or_else(|_| "[]".into()))
        .bind(&f.presentation)
        .bind(&f.decision)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit(
            &mut tx,
            Some(by),
            "agenda_item.added",
            None,
            serde_json::json!({ "meeting": meeting, "item": id, "number": number }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_item(
        &self,
        id: i64,
        f: &ItemFields,
        by: UserId,
    ) -> Result<(), ChangeError> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE agenda_items SET title = $1, time_start = $2, time_end = $3, case_number = $4,
                 recommendation = $5, presentation = $6, decision = $7 WHERE id = $8",
        )
        .bind(&f.title)
        .bind(f.time_start.as_deref())
        .bind(f.time_end.as_deref())
        .bind(&f.case_number)
        .bind(serde_json::to_string(&f.recommendation).unwrap_or_else(|_| "[]".into()))
        .bind(&f.presentation)
        .bind(&f.decision)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(ChangeError::NotFound);
        }
        audit(
            &mut tx,
            Some(by),
            "agenda_item.updated",
            None,
            serde_json::json!({ "item": id }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn items(&self, meeting: i64) -> Result<Vec<ItemRow>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            item_columns!(),
            " FROM agenda_items WHERE meeting_id = $1 ORDER BY number"
        ))
        .bind(meeting)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(item).collect::<Result<_, _>>()?)
    }

    pub async fn item(&self, id: i64) -> Result<Option<ItemRow>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            item_columns!(),
            " FROM agenda_items WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| item(&r)).transpose()?)
    }

    /// Files attachments (with their children) under an agenda item in one transaction.
    pub async fn file_attachments(
        &self,
        item: i64,
        attachments: &[NewAttachment],
        hearing: Option<i64>,
        by: UserId,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut position: i64 = sqlx::query(
            "SELECT COALESCE(MAX(position), 0) AS n FROM attachments WHERE agenda_item_id = $1",
        )
        .bind(item)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        let mut ids = Vec::new();
        let now = now_millis();
        // Depth-first, parents before their children.
        let mut stack: Vec<(&NewAttachment, Option<i64>)> =
            attachments.iter().rev().map(|a| (a, None)).collect();
        while let Some((a, parent)) = stack.pop() {
            position += 1;
            let id: i64 = sqlx::query(
                "INSERT INTO attachments (agenda_item_id, parent_id, position, title, kind,
                     record_id, version_id, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(item)
            .bind(parent)
            .bind(position)
            .bind(&a.title)
            .bind(a.kind)
            .bind(a.record_id)
            .bind(a.version_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            ids.push(id);
            for c in a.children.iter().rev() {
                stack.push((c, Some(id)));
            }
        }
        audit(
            &mut tx,
            Some(by),
            "record.filed",
            hearing,
            serde_json::json!({ "item": item, "attachments": ids }),
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    pub async fn attachments(&self, item: i64) -> Result<Vec<AttachmentRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, agenda_item_id, parent_id, position, title, kind, record_id, version_id, file_id
             FROM attachments WHERE agenda_item_id = $1 ORDER BY position",
        )
        .bind(item)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(AttachmentRow {
                id: r.try_get("id")?,
                agenda_item_id: r.try_get("agenda_item_id")?,
                parent_id: r.try_get("parent_id")?,
                position: r.try_get("position")?,
                title: r.try_get("title")?,
                kind: r.try_get("kind")?,
                record_id: r.try_get("record_id")?,
                version_id: r.try_get("version_id")?,
                file_id: r.try_get("file_id")?,
            });
        }
        Ok(out)
    }

    pub async fn attachment(&self, id: i64) -> Result<Option<AttachmentRow>, StoreError> {
        let row = sqlx::query("SELECT agenda_item_id FROM attachments WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let item: i64 = row.try_get("agenda_item_id")?;
        Ok(self
            .attachments(item)
            .await?
            .into_iter()
            .find(|a| a.id == id))
    }

    /// Whether a record is already filed somewhere.
    pub async fn record_filed(&self, record: i64) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT agenda_item_id FROM attachments WHERE record_id = $1")
            .bind(record)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("agenda_item_id")).transpose()?)
    }
}
