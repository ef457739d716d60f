//! Meetings and their agenda items: `/api/meetings…`. The secretariat prepares them; the
//! committee's members read them.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::caller::Caller;
use super::json::Body;
use super::views::CommitteeRef;
use crate::domain::policy::Principal;
use crate::error::{Error, Result};
use crate::store::meetings::{AttachmentRow, ItemFields, ItemRow, MeetingFields, MeetingRow};
use crate::store::people::CommitteeKind;

#[derive(Serialize, ToSchema)]
pub struct MeetingSummary {
    id: i64,
    committee: CommitteeRef,
    /// YYYY-MM-DD (local date).
    date: String,
    /// HH:MM (local time).
    start_time: Option<String>,
    end_time: Option<String>,
    place: String,
    /// Whether the minutes are written (otherwise it is an agenda).
    minutes: bool,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct AttachmentView {
    id: i64,
    title: String,
    /// "record", "version" or "file".
    kind: String,
    record_id: Option<i64>,
    version_id: Option<i64>,
    #[schema(no_recursion)]
    children: Vec<AttachmentView>,
}

#[derive(Serialize, ToSchema)]
pub struct AgendaItem {
    id: i64,
    number: i64,
    title: String,
    time_start: Option<String>,
    time_end: Option<String>,
    case_number: String,
    /// The bullets under "Det indstilles, at …".
    recommendation: Vec<String>,
    /// Sagsfremstilling (paragraphs separated by blank lines).
    presentation: String,
    /// Beslutning (minutes).
    decision: String,
    attachments: Vec<AttachmentView>,
}

#[derive(Serialize, ToSchema)]
pub struct Meeting {
    #[serde(flatten)]
    summary: MeetingSummary,
    initials: String,
    items: Vec<AgendaItem>,
    can_edit: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingBody {
    committee_id: Option<i64>,
    date: String,
    start_time: Option<String>,
    end_time: Option<String>,
    place: String,
    #[serde(default)]
    initials: String,
    #[serde(default)]
    minutes: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    title: String,
    time_start: Option<String>,
    time_end: Option<String>,
    #[serde(default)]
    case_number: String,
    #[serde(default)]
    recommendation: Vec<String>,
    #[serde(default)]
    presentation: String,
    #[serde(default)]
    decision: String,
}

/// YYYY-MM-DD, a date that exists.
fn check_date(s: &str) -> Result<()> {
    let parts =
        (s.len() == 10 && s.is_ascii() && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-').then(
            || {
                (
                    s[..4].parse::<u32>(),
                    s[5..7].parse::<u32>(),
                    s[8..].parse::<u32>(),
                )
            },
        );
    let ok = match parts {
        Some((Ok(y), Ok(m), Ok(d))) if (1900..=2200).contains(&y) && (1..=12).contains(&m) => {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            (1..=days).contains(&d)
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "ugyldig dato {s:?} (forventede ÅÅÅÅ-MM-DD)"
        )))
    }
}

/// HH:MM, 00:00–23:59.
fn check_time(s: &Option<String>, field: &str) -> Result<()> {
    let Some(s) = s else { return Ok(()) };
    let ok = s.len() == 5
        && s.is_ascii()
        && s.as_bytes()[2] == b':'
        && s[..2].parse::<u32>().is_ok_and(|h| h < 24)
        && s[3..].parse::<u32>().is_ok_and(|m| m < 60);
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "{field}: ugyldigt klokkeslæt {s:?} (forventede TT:MM)"
        )))
    }
}

fn check_len(s: &str, field: &str, max: usize, required: bool) -> Result<()> {
    let n = s.trim().chars().count();
    if required && n == 0 {
        return Err(Error::invalid(format!("{field} skal udfyldes")));
    }
    if n > max {
        return Err(Error::invalid(format!("{field} må højst være {max} tegn")));
    }
    Ok(())
}

fn meeting_fields(b: &MeetingBody) -> Result<MeetingFields> {
    check_date(&b.date)?;
    check_time(&b.start_time, "start_time")?;
    check_time(&b.end_time, "end_time")?;
    if let (Some(s), Some(e)) = (&b.start_time, &b.end_time)
        && e < s
    {
        return Err(Error::invalid("mødet kan ikke slutte, før det begynder"));
    }
    check_len(&b.place, "stedet", 500, true)?;
    check_len(&b.initials, "initialerne", 50, false)?;
    Ok(MeetingFields {
        date: b.date.clone(),
        start_time: b.start_time.clone(),
        end_time: b.end_time.clone(),
        place: b.place.trim().to_owned(),
        initials: b.initials.trim().to_owned(),
    })
}

fn item_fields(b: ItemBody) -> Result<ItemFields> {
    check_len(&b.title, "titlen", 500, true)?;
    check_time(&b.time_start, "time_start")?;
    check_time(&b.time_end, "time_end")?;
    check_len(&b.case_number, "sagsnummeret", 100, false)?;
    check_len(&b.presentation, "sagsfremstillingen", 50_000, false)?;
    check_len(&b.decision, "beslutningen", 50_000, false)?;
    if b.recommendation.len() > 50 || b.recommendation.iter().any(|r| r.chars().count() > 2000) {
        return Err(Error::invalid("indstillingen er for lang"));
    }
    Ok(ItemFields {
        title: b.title.trim().to_owned(),
        time_start: b.time_start,
        time_end: b.time_end,
        case_number: b.case_number.trim().to_owned(),
        recommendation: b
            .recommendation
            .into_iter()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect(),
        presentation: b.presentation,
        decision: b.decision,
    })
}

/// Whether `p` may read the meetings of `committee`: the secretariat and its members.
fn may_read(p: &Principal, committee: i64) -> bool {
    p.secretariat || p.role_in(committee).is_some()
}

pub async fn visible_meeting(state: &AppState, p: &Principal, id: i64) -> Result<MeetingRow> {
    let m = state
        .store
        .meeting(id)
        .await?
        .filter(|m| may_read(p, m.committee_id))
        .ok_or_else(|| Error::not_found("mødet findes ikke"))?;
    Ok(m)
}

async fn summary(state: &AppState, m: &MeetingRow) -> Result<MeetingSummary> {
    let c = state
        .store
        .committee(m.committee_id)
        .await?
        .ok_or_else(|| Error::not_found("udvalget findes ikke"))?;
    Ok(MeetingSummary {
        id: m.id,
        committee: (&c).into(),
        date: m.date.clone(),
        start_time: m.start_time.clone(),
        end_time: m.end_time.clone(),
        place: m.place.clone(),
        minutes: m.minutes,
    })
}

/// The attachments of an item as a tree.
pub fn tree(rows: &[AttachmentRow]) -> Vec<AttachmentView> {
    fn children(rows: &[AttachmentRow], parent: Option<i64>, depth: usize) -> Vec<AttachmentView> {
        if depth > 8 {
            return Vec::new();
        }
        rows.iter()
            .filter(|a| a.parent_id == parent)
            .map(|a| AttachmentView {
                id: a.id,
                title: a.title.clone(),
                kind: a.kind.clone(),
                record_id: a.record_id,
                version_id: a.version_id,
                children: children(rows, Some(a.id), depth + 1),
            })
            .collect()
    }
    children(rows, None, 0)
}

pub async fn item_view(state: &AppState, i: ItemRow) -> Result<AgendaItem> {
    let attachments = state.store.attachments(i.id).await?;
    Ok(AgendaItem {
        id: i.id,
        number: i.number,
        title: i.title,
        time_start: i.time_start,
        time_end: i.time_end,
        case_number: i.case_number,
        recommendation: serde_json::from_str(&i.recommendation).unwrap_or_default(),
        presentation: i.presentation,
        decision: i.decision,
        attachments: tree(&attachments),
    })
}

async fn view(state: &AppState, p: &Principal, m: &MeetingRow) -> Result<Meeting> {
    let mut items = Vec::new();
    for i in state.store.items(m.id).await? {
        items.push(item_view(state, i).await?);
    }
    Ok(Meeting {
        summary: summary(state, m).await?,
        initials: m.initials.clone(),
        items,
        can_edit: p.secretariat,
    })
}

/// The meetings of the caller's committees, newest first.
#[utoipa::path(get, path = "/api/meetings", tag = "meetings", responses((status = 200, body = [MeetingSummary])))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<Vec<MeetingSummary>>> {
    let mut out = Vec::new();
    for m in state.store.meetings().await? {
        if may_read(&caller.principal, m.committee_id) {
            out.push(summary(&state, &m).await?);
        }
    }
    Ok(Json(out))
}

/// Creates a meeting (secretariat). The committee defaults to the main committee.
#[utoipa::path(post, path = "/api/meetings", tag = "meetings", request_body = MeetingBody,
    responses((status = 201, body = Meeting), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(b): Body<MeetingBody>,
) -> Result<(StatusCode, Json<Meeting>)> {
    let p = &caller.principal;
    if !p.secretariat {
        return Err(Error::forbidden("kun sekretariatet kan oprette møder"));
    }
    let fields = meeting_fields(&b)?;
    let committees = state.store.committees().await?;
    let committee = match b.committee_id {
        Some(id) => committees.iter().find(|c| c.id == id),
        None => committees.iter().find(|c| c.kind == CommitteeKind::Main),
    }
    .ok_or_else(|| Error::invalid("udvalget findes ikke"))?
    .id;
    let id = state
        .store
        .create_meeting(committee, &fields, p.user)
        .await?;
    let m = visible_meeting(&state, p, id).await?;
    Ok((StatusCode::CREATED, Json(view(&state, p, &m).await?)))
}

/// A meeting with its agenda items and their attachments.
#[utoipa::path(get, path = "/api/meetings/{id}", tag = "meetings",
    responses((status = 200, body = Meeting), (status = 404)))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Meeting>> {
    let m = visible_meeting(&state, &caller.principal, id).await?;
    Ok(Json(view(&state, &caller.principal, &m).await?))
}

/// Changes a meeting; `minutes: true` once the minutes are written.
#[utoipa::path(put, path = "/api/meetings/{id}", tag = "meetings", request_body = MeetingBody,
    responses((status = 200, body = Meeting), (status = 403), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<MeetingBody>,
) -> Result<Json<Meeting>> {
    let p = &caller.principal;
    visible_meeting(&state, p, id).await?;
    if !p.secretariat {
        return Err(Error::forbidden("kun sekretariatet kan ændre møder"));
    }
    let fields = meeting_fields(&b)?;
    state
        .store
        .update_meeting(id, &fields, b.minutes, p.user)
        .await?;
    let m = visible_meeting(&state, p, id).await?;
    Ok(Json(view(&state, p, &m).await?))
}

/// Adds an agenda item at the end (secretariat).
#[utoipa::path(post, path = "/api/meetings/{id}/items", tag = "meetings", request_body = ItemBody,
    responses((status = 201, body = AgendaItem), (status = 403), (status = 404), (status = 422)))]
pub async fn add_item(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<ItemBody>,
) -> Result<(StatusCode, Json<AgendaItem>)> {
    let p = &caller.principal;
    visible_meeting(&state, p, id).await?;
    if !p.secretariat {
        return Err(Error::forbidden("kun sekretariatet kan ændre dagsordenen"));
    }
    let item = state.store.add_item(id, &item_fields(b)?, p.user).await?;
    let row = state
        .store
        .item(item)
        .await?
        .ok_or_else(|| Error::not_found("punktet findes ikke"))?;
    Ok((StatusCode::CREATED, Json(item_view(&state, row).await?)))
}

/// Changes an agenda item (secretariat): its text, and the decision once the meeting is held.
#[utoipa::path(put, path = "/api/agenda-items/{id}", tag = "meetings", request_body = ItemBody,
    responses((status = 200, body = AgendaItem), (status = 403), (status = 404), (status = 422)))]
pub async fn update_item(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<ItemBody>,
) -> Result<Json<AgendaItem>> {
    let p = &caller.principal;
    let row = state
        .store
        .item(id)
        .await?
        .ok_or_else(|| Error::not_found("punktet findes ikke"))?;
    visible_meeting(&state, p, row.meeting_id).await?;
    if !p.secretariat {
        return Err(Error::forbidden("kun sekretariatet kan ændre dagsordenen"));
    }
    state
        .store
        .update_item(id, &item_fields(b)?, p.user)
        .await?;
    let row = state
        .store
        .item(id)
        .await?
        .ok_or_else(|| Error::not_found("punktet findes ikke"))?;
    Ok(Json(item_view(&state, row).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_checked() {
        assert!(check_date("2023-09-25").is_ok());
        assert!(check_date("2024-02-29").is_ok());
        for bad in ["2023-02-29", "2023-04-31", "2023-ø9-25"] {
            assert!(check_date(bad).is_err(), "{bad}");
        }
        for bad in [
            "2023-13-01",
            "25-09-2023",
            "2023-09-32",
            "i dag",
            "2023-9-25",
        ] {
            assert!(check_date(bad).is_err(), "{bad}");
        }
        assert!(check_time(&Some("14:05".into()), "t").is_ok());
        assert!(check_time(&None, "t").is_ok());
        for bad in ["24:00", "14.05", "1405", "9:05"] {
            assert!(check_time(&Some(bad.into()), "t").is_err(), "{bad}");
        }
    }
}
