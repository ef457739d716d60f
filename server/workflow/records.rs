//! Filing the frozen record with a meeting's agenda item, with each LMU's submitted response
//! under it.

use super::Round;
use crate::domain::policy::Principal;
use crate::error::{Error, Result};
use crate::store::meetings::NewAttachment;
use crate::store::records::RecordRow;

impl Round {
    /// Files `record` as an attachment of the agenda item, each submitted LMU response a
    /// sub-attachment of it, in one transaction. Returns the attachments' ids.
    pub async fn file_record(
        &self,
        p: &Principal,
        record: &RecordRow,
        item: i64,
    ) -> Result<Vec<i64>> {
        if !p.secretariat {
            return Err(Error::forbidden(
                "kun sekretariatet arkiverer med referatet",
            ));
        }
        if let Some(existing) = self.store.record_filed(record.id).await? {
            let number = self.store.item(existing).await?.map(|i| i.number);
            return Err(Error::Conflict(match number {
                Some(n) => format!("høringssvaret er allerede arkiveret som bilag til punkt {n}"),
                None => "høringssvaret er allerede arkiveret".into(),
            }));
        }
        let agenda_item = self
            .store
            .item(item)
            .await?
            .ok_or_else(|| Error::invalid("dagsordenspunktet findes ikke"))?;
        let h = self
            .store
            .hearing(record.hearing_id)
            .await?
            .ok_or_else(|| Error::not_found("høringen findes ikke"))?;
        let meeting = self
            .store
            .meeting(agenda_item.meeting_id)
            .await?
            .ok_or_else(|| Error::not_found("mødet findes ikke"))?;
        if meeting.committee_id != h.committee_id {
            return Err(Error::invalid(
                "mødet hører til et andet udvalg end høringen",
            ));
        }
        let committee = self
            .store
            .committee(h.committee_id)
            .await?
            .map(|c| c.short_name)
            .unwrap_or_default();
        let children = self
            .submitted(h.id)
            .await?
            .into_iter()
            .map(|s| NewAttachment {
                title: format!("LMU høringssvar fra {}", s.committee),
                kind: "version",
                record_id: None,
                version_id: Some(s.version_id),
                children: Vec::new(),
            })
            .collect();
        let attachment = NewAttachment {
            title: format!("Høringssvar fra {committee}: {}", h.title),
            kind: "record",
            record_id: Some(record.id),
            version_id: Some(record.version_id),
            children,
        };
        match self
            .store
            .file_attachments(item, &[attachment], Some(h.id), p.user)
            .await
        {
            Ok(ids) => Ok(ids),
            // Filed by a request at the same moment: a unique index holds the line.
            Err(crate::store::StoreError::Database(sqlx::Error::Database(e)))
                if e.is_unique_violation() =>
            {
                Err(Error::Conflict(
                    "høringssvaret er allerede arkiveret".into(),
                ))
            }
            Err(e) => Err(e.into()),
        }
    }
}
