//! The HMU's review of the joint response and the chairs' approval: `/api/hearings/{id}/review`,
//! comments, positions, sharing, approving and freezing.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::caller::Caller;
use super::hearings::visible;
use super::json::{Body, time, time_opt};
use super::views::{Names, UserRef};
use crate::domain::approval::Rule;
use crate::domain::hearing::HearingState;
use crate::domain::policy::{self, DocumentFacts, HearingFacts, Principal};
use crate::error::{Error, Result};
use crate::model::diff::{Change, Diff, Entry, SpanOp};
use crate::store::hearings::HearingRow;
use crate::store::versions::VersionRow;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

#[derive(Serialize, ToSchema, Clone)]
pub struct SharedVersion {
    id: i64,
    number: i64,
    name: String,
    created_at: String,
    created_by: Option<UserRef>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewChange {
    /// Names the change for positions.
    key: String,
    /// The entry of `diff` it is.
    entry: usize,
    #[schema(value_type = String)]
    change: Change,
    /// What changed, in a line.
    summary: String,
    agree: Vec<UserRef>,
    object: Vec<UserRef>,
    /// Notes given with the positions: "name: note".
    notes: Vec<String>,
    /// The caller's position: "agree", "object" or null.
    mine: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Comment {
    id: i64,
    version_id: Option<i64>,
    /// Yjs relative positions (Y.encodeRelativePosition), base64.
    anchor_start: Option<String>,
    anchor_end: Option<String>,
    quote: String,
    body: String,
    author: UserRef,
    created_at: String,
    resolved: bool,
    resolved_by: Option<UserRef>,
    resolved_at: Option<String>,
    resolution: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ChairApproval {
    chair: UserRef,
    approved_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VoidApproval {
    chair: UserRef,
    version_id: i64,
    approved_at: String,
    voided_at: String,
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct Approval {
    rule: Rule,
    /// The rule in words ("alle 2 i formandskabet skal godkende").
    rule_text: String,
    needed: usize,
    /// The version the approvals in force are of.
    version_id: Option<i64>,
    chairs: Vec<ChairApproval>,
    met: bool,
    /// Approvals voided by later edits or a newer version, newest first.
    voided: Vec<VoidApproval>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewCan {
    comment: bool,
    position: bool,
    resolve: bool,
    share: bool,
    approve: bool,
    freeze: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Review {
    hearing_id: i64,
    state: HearingState,
    joint_document_id: String,
    versions: Vec<SharedVersion>,
    /// The latest shared version.
    current: Option<SharedVersion>,
    /// What `diff` compares the current version with: the version the caller saw last, or the
    /// previous shared one (null: the first version, compared with an empty text).
    base: Option<SharedVersion>,
    /// "last_seen", "previous_shared" or "none".
    since: String,
    /// The shared version the caller last marked as seen.
    seen_version_id: Option<i64>,
    /// Whether the live text has changed since the current shared version.
    live_differs: bool,
    /// What changed from `base` to `current`, with authors.
    #[schema(value_type = Object)]
    diff: Option<Diff>,
    /// The changes of the current version (against the previous shared one), each with the
    /// members' positions.
    changes: Vec<ReviewChange>,
    /// The diff the changes are entries of.
    #[schema(value_type = Object)]
    changes_diff: Option<Diff>,
    comments: Vec<Comment>,
    approval: Approval,
    can: ReviewCan,
}

#[derive(Deserialize, ToSchema)]
pub struct Seen {
    version_id: i64,
}

#[derive(Deserialize, ToSchema)]
pub struct NewComment {
    version_id: Option<i64>,
    anchor_start: Option<String>,
    anchor_end: Option<String>,
    #[serde(default)]
    quote: String,
    body: String,
}

#[derive(Deserialize, ToSchema)]
pub struct Resolve {
    #[serde(default)]
    resolution: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewPosition {
    version_id: i64,
    change_key: String,
    /// "agree" or "object".
    position: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct ShareBody {
    name: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct ApproveBody {
    version_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Shared {
    version_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Frozen {
    record_id: i64,
}

/// Whether `p` takes part in the review: the HMU's members and chairs.
fn reviewer(p: &Principal, facts: &HearingFacts) -> bool {
    p.role_in(facts.committee).is_some()
}

/// The hearing, if the caller takes part in the review (the HMU and the secretariat) and may
/// read the joint response.
async fn readable(state: &AppState, p: &Principal, id: i64) -> Result<(HearingRow, HearingFacts)> {
    let (h, facts) = visible(state, p, id).await?;
    if !policy::in_hmu_work(p, &facts) {
        return Err(Error::forbidden(
            "gennemsynet er for HMU's medlemmer og sekretariatet",
        ));
    }
    if policy::document_access(
        p,
        &DocumentFacts::Joint {
            hearing: facts.clone(),
        },
    )
    .is_none()
    {
        return Err(Error::forbidden(
            "det fælles svar er ikke delt med dig endnu",
        ));
    }
    Ok((h, facts))
}

/// A change's name: the same change of the same texts always gets the same key.
fn change_key(e: &Entry) -> String {
    let text = |op: SpanOp| -> String {
        e.spans
            .iter()
            .filter(|s| s.op == SpanOp::Equal || s.op == op)
            .map(|s| s.text.as_str())
            .collect()
    };
    let basis = format!(
        "{:?}|{:?}|{:?}|{}|{}",
        e.change,
        e.old_index,
        e.new_index,
        text(SpanOp::Deleted),
        text(SpanOp::Inserted)
    );
    crate::export::html::sha256_hex(basis.as_bytes())[..16].to_owned()
}

fn summary(e: &Entry) -> String {
    let new: String = e
        .spans
        .iter()
        .filter(|s| s.op != SpanOp::Deleted)
        .map(|s| s.text.as_str())
        .collect();
    let old: String = e
        .spans
        .iter()
        .filter(|s| s.op != SpanOp::Inserted)
        .map(|s| s.text.as_str())
        .collect();
    let short = |t: &str| {
        let t: String = t.chars().take(80).collect();
        t
    };
    match e.change {
        Change::Inserted => format!("Indsat: «{}»", short(&new)),
        Change::Deleted => format!("Slettet: «{}»", short(&old)),
        Change::Changed => format!("Ændret: «{}»", short(&new)),
        Change::Moved => format!("Flyttet: «{}»", short(&new)),
        Change::MovedAway | Change::Unchanged => String::new(),
    }
}

fn shared(v: &VersionRow, names: &Names) -> SharedVersion {
    SharedVersion {
        id: v.id,
        number: v.number,
        name: v.name.clone(),
        created_at: time(v.created_at),
        created_by: names.get(v.created_by),
    }
}

fn user_ref(id: i64, name: &str) -> UserRef {
    UserRef {
        id,
        name: name.to_owned(),
    }
}

/// The review of the joint response as the caller sees it.
#[utoipa::path(get, path = "/api/hearings/{id}/review", tag = "review",
    responses((status = 200, body = Review), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Review>> {
    let p = &caller.principal;
    let (h, facts) = readable(&state, p, id).await?;
    let round = &state.round;
    let joint = h.joint_document_id.clone().unwrap_or_default();
    let versions = round.shared_versions(&h).await?;
    let names = Names::load(&state.store, versions.iter().filter_map(|v| v.created_by)).await?;
    let current = versions.last().cloned();
    let previous = versions.len().checked_sub(2).map(|i| versions[i].clone());
    let seen_id = state.store.last_seen(h.id, p.user).await?;
    let seen = seen_id.and_then(|s| versions.iter().find(|v| v.id == s).cloned());
    let live_seq = state.store.document_activity(&joint).await?.last_seq;
    let live_differs = current.as_ref().is_some_and(|c| c.seq != live_seq);
    let (base, since) = match (&current, seen) {
        (Some(c), Some(s)) if s.id != c.id => (Some(s), "last_seen"),
        (Some(_), _) if previous.is_some() => (previous.clone(), "previous_shared"),
        _ => (None, "none"),
    };
    let empty = || crate::workflow::versions::Side {
        state: yrs_empty_state(),
        seq: 0,
    };
    let (diff, changes_diff) = match &current {
        Some(c) => {
            let new_side = || round.version_side(c);
            let old_side = match &base {
                Some(b) => round.version_side(b).await?,
                None => empty(),
            };
            let diff = round.diff(&joint, old_side, new_side().await?).await?;
            let prev_side = match &previous {
                Some(pv) => round.version_side(pv).await?,
                None => empty(),
            };
            let changes = round.diff(&joint, prev_side, new_side().await?).await?;
            (Some(diff), Some(changes))
        }
        None => (None, None),
    };
    let mut changes = Vec::new();
    if let (Some(c), Some(d)) = (&current, &changes_diff) {
        let positions = state.store.positions(c.id).await?;
        let mut by_key: HashMap<&str, Vec<_>> = HashMap::new();
        for pos in &positions {
            by_key.entry(pos.change_key.as_str()).or_default().push(pos);
        }
        for (i, e) in d.entries.iter().enumerate() {
            if matches!(e.change, Change::Unchanged | Change::MovedAway) {
                continue;
            }
            let key = change_key(e);
            let here = by_key.get(key.as_str()).cloned().unwrap_or_default();
            changes.push(ReviewChange {
                entry: i,
                change: e.change,
                summary: summary(e),
                agree: here
                    .iter()
                    .filter(|x| x.agree)
                    .map(|x| user_ref(x.user_id, &x.user_name))
                    .collect(),
                object: here
                    .iter()
                    .filter(|x| !x.agree)
                    .map(|x| user_ref(x.user_id, &x.user_name))
                    .collect(),
                notes: here
                    .iter()
                    .filter(|x| !x.note.is_empty())
                    .map(|x| format!("{}: {}", x.user_name, x.note))
                    .collect(),
                mine: here
                    .iter()
                    .find(|x| x.user_id == p.user)
                    .map(|x| if x.agree { "agree" } else { "object" }.to_owned()),
                key,
            });
        }
    }
    let comment_rows = state.store.comments(h.id).await?;
    let comment_names = Names::load(
        &state.store,
        comment_rows.iter().filter_map(|c| c.resolved_by),
    )
    .await?;
    let comments = comment_rows
        .into_iter()
        .map(|c| Comment {
            id: c.id,
            version_id: c.version_id,
            anchor_start: c.anchor_start.map(|a| B64.encode(a)),
            anchor_end: c.anchor_end.map(|a| B64.encode(a)),
            quote: c.quote,
            body: c.body,
            author: user_ref(c.author_id, &c.author_name),
            created_at: time(c.created_at),
            resolved: c.resolved_at.is_some(),
            resolved_by: comment_names.get(c.resolved_by),
            resolved_at: time_opt(c.resolved_at),
            resolution: c.resolution,
        })
        .collect();
    let approval_state = round.approval_state(&h).await?;
    let approval = Approval {
        rule: approval_state.rule,
        rule_text: approval_state.rule.describe(approval_state.chairs.len()),
        needed: approval_state.rule.needed(approval_state.chairs.len()),
        version_id: approval_state.version.as_ref().map(|v| v.id),
        chairs: approval_state
            .chairs
            .iter()
            .map(|(id, name)| ChairApproval {
                chair: user_ref(*id, name),
                approved_at: approval_state
                    .in_force
                    .iter()
                    .find(|a| a.user_id == *id)
                    .map(|a| time(a.at)),
            })
            .collect(),
        met: approval_state.met,
        voided: approval_state
            .all
            .iter()
            .rev()
            .filter_map(|a| {
                Some(VoidApproval {
                    chair: user_ref(a.user_id, &a.user_name),
                    version_id: a.version_id,
                    approved_at: time(a.at),
                    voided_at: time(a.voided_at?),
                    reason: a.void_reason.clone().unwrap_or_default(),
                })
            })
            .collect(),
    };
    let in_review = matches!(h.state, HearingState::InReview | HearingState::Approved);
    let chair = policy::is_hmu_chair(p, &facts);
    Ok(Json(Review {
        hearing_id: h.id,
        state: h.state,
        joint_document_id: joint,
        versions: versions.iter().map(|v| shared(v, &names)).collect(),
        current: current.as_ref().map(|v| shared(v, &names)),
        base: base.as_ref().map(|v| shared(v, &names)),
        since: since.to_owned(),
        seen_version_id: seen_id,
        live_differs,
        diff,
        changes,
        changes_diff,
        comments,
        can: ReviewCan {
            comment: in_review && reviewer(p, &facts),
            position: in_review && reviewer(p, &facts) && current.is_some(),
            resolve: in_review && chair,
            share: chair
                && matches!(
                    h.state,
                    HearingState::Consolidating | HearingState::InReview
                ),
            approve: chair && in_review && current.is_some(),
            freeze: (chair || p.secretariat)
                && h.state == HearingState::Approved
                && approval_state.met,
        },
        approval,
    }))
}

/// An empty document's full state (the base of the first shared version).
fn yrs_empty_state() -> Vec<u8> {
    // No clients, no deletions.
    vec![0, 0]
}

/// Notes that the caller has seen a shared version (what changed is shown since then).
#[utoipa::path(post, path = "/api/hearings/{id}/review/seen", tag = "review", request_body = Seen,
    responses((status = 204), (status = 403), (status = 404), (status = 422)))]
pub async fn seen(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<Seen>,
) -> Result<StatusCode> {
    let p = &caller.principal;
    let (h, _) = readable(&state, p, id).await?;
    if !state
        .round
        .shared_versions(&h)
        .await?
        .iter()
        .any(|v| v.id == b.version_id)
    {
        return Err(Error::invalid("versionen er ikke delt i denne høring"));
    }
    state.store.mark_seen(h.id, p.user, b.version_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Decodes a relative position as Yjs encodes it; refuses anything else.
fn anchor(b64: &Option<String>, field: &str) -> Result<Option<Vec<u8>>> {
    let Some(s) = b64 else { return Ok(None) };
    let bytes = B64
        .decode(s)
        .map_err(|_| Error::invalid(format!("{field} er ikke base64")))?;
    if bytes.is_empty() || bytes.len() > 512 {
        return Err(Error::invalid(format!("{field} er ikke en Yjs-position")));
    }
    let ok = std::panic::catch_unwind(|| {
        use yrs::updates::decoder::Decode;
        yrs::StickyIndex::decode_v1(&bytes).is_ok()
    })
    .unwrap_or(false);
    if !ok {
        return Err(Error::invalid(format!("{field} er ikke en Yjs-position")));
    }
    Ok(Some(bytes))
}

/// Comments on a passage of the joint response (HMU members and chairs, during review).
#[utoipa::path(post, path = "/api/hearings/{id}/comments", tag = "review", request_body = NewComment,
    responses((status = 201, body = Comment), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn comment(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<NewComment>,
) -> Result<(StatusCode, Json<Comment>)> {
    let p = &caller.principal;
    let (h, facts) = readable(&state, p, id).await?;
    if !reviewer(p, &facts) {
        return Err(Error::forbidden("kun HMU's medlemmer kommenterer udkastet"));
    }
    if !matches!(h.state, HearingState::InReview | HearingState::Approved) {
        return Err(Error::Conflict(format!(
            "høringen er {}; der kan ikke kommenteres nu",
            h.state.label()
        )));
    }
    let body = b.body.trim();
    if body.is_empty() || body.chars().count() > 5000 {
        return Err(Error::invalid("kommentaren skal være 1–5000 tegn"));
    }
    if b.quote.chars().count() > 5000 {
        return Err(Error::invalid("citatet er for langt"));
    }
    if let Some(v) = b.version_id
        && !state
            .round
            .shared_versions(&h)
            .await?
            .iter()
            .any(|x| x.id == v)
    {
        return Err(Error::invalid("versionen er ikke delt i denne høring"));
    }
    let new = crate::store::review::NewComment {
        hearing_id: h.id,
        version_id: b.version_id,
        anchor_start: anchor(&b.anchor_start, "anchor_start")?,
        anchor_end: anchor(&b.anchor_end, "anchor_end")?,
        quote: b.quote.clone(),
        body: body.to_owned(),
    };
    let cid = state.store.add_comment(&new, p.user).await?;
    state
        .hub
        .events()
        .send(crate::docs::DocEvent::Hearing(h.id));
    Ok((
        StatusCode::CREATED,
        Json(Comment {
            id: cid,
            version_id: b.version_id,
            anchor_start: b.anchor_start,
            anchor_end: b.anchor_end,
            quote: b.quote,
            body: body.to_owned(),
            author: user_ref(p.user, &p.name),
            created_at: time(crate::store::now_millis()),
            resolved: false,
            resolved_by: None,
            resolved_at: None,
            resolution: None,
        }),
    ))
}

/// A chair resolves a comment.
#[utoipa::path(post, path = "/api/hearings/{id}/comments/{comment_id}/resolve", tag = "review", request_body = Resolve,
    responses((status = 204), (status = 403), (status = 404), (status = 409)))]
pub async fn resolve(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((id, comment_id)): Path<(i64, i64)>,
    Body(b): Body<Resolve>,
) -> Result<StatusCode> {
    let p = &caller.principal;
    let (h, facts) = readable(&state, p, id).await?;
    if !policy::is_hmu_chair(p, &facts) {
        return Err(Error::forbidden(
            "kun HMU-formandskabet afslutter kommentarer",
        ));
    }
    if !matches!(h.state, HearingState::InReview | HearingState::Approved) {
        return Err(Error::Conflict(format!(
            "høringen er {}; kommentarer kan ikke afsluttes nu",
            h.state.label()
        )));
    }
    if b.resolution.chars().count() > 5000 {
        return Err(Error::invalid("svaret er for langt"));
    }
    if !state
        .store
        .comments(h.id)
        .await?
        .iter()
        .any(|c| c.id == comment_id)
    {
        return Err(Error::not_found("kommentaren findes ikke"));
    }
    state
        .store
        .resolve_comment(h.id, comment_id, p.user, b.resolution.trim())
        .await?;
    state
        .hub
        .events()
        .send(crate::docs::DocEvent::Hearing(h.id));
    Ok(StatusCode::NO_CONTENT)
}

/// A member agrees with or objects to one change of the current shared version.
#[utoipa::path(post, path = "/api/hearings/{id}/positions", tag = "review", request_body = NewPosition,
    responses((status = 204), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn position(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<NewPosition>,
) -> Result<StatusCode> {
    let p = &caller.principal;
    let (h, facts) = readable(&state, p, id).await?;
    if !reviewer(p, &facts) {
        return Err(Error::forbidden(
            "kun HMU's medlemmer tager stilling til ændringerne",
        ));
    }
    if !matches!(h.state, HearingState::InReview | HearingState::Approved) {
        return Err(Error::Conflict(format!(
            "høringen er {}; der tages ikke stilling nu",
            h.state.label()
        )));
    }
    let agree = match b.position.as_str() {
        "agree" => true,
        "object" => false,
        _ => return Err(Error::invalid("position skal være 'agree' eller 'object'")),
    };
    if b.note.chars().count() > 2000 {
        return Err(Error::invalid("bemærkningen er for lang"));
    }
    let versions = state.round.shared_versions(&h).await?;
    let Some(current) = versions.last() else {
        return Err(Error::Conflict("intet udkast er delt endnu".into()));
    };
    if current.id != b.version_id {
        return Err(Error::Conflict(
            "der er delt en nyere version; tag stilling til den".into(),
        ));
    }
    // The change must be one of the current version's.
    let joint = h.joint_document_id.clone().unwrap_or_default();
    let prev = match versions.len().checked_sub(2) {
        Some(i) => state.round.version_side(&versions[i]).await?,
        None => crate::workflow::versions::Side {
            state: yrs_empty_state(),
            seq: 0,
        },
    };
    let diff = state
        .round
        .diff(&joint, prev, state.round.version_side(current).await?)
        .await?;
    if !diff
        .entries
        .iter()
        .filter(|e| !matches!(e.change, Change::Unchanged | Change::MovedAway))
        .any(|e| change_key(e) == b.change_key)
    {
        return Err(Error::invalid("ændringen findes ikke i den delte version"));
    }
    state
        .store
        .set_position(
            h.id,
            current.id,
            &b.change_key,
            p.user,
            agree,
            b.note.trim(),
        )
        .await?;
    state
        .hub
        .events()
        .send(crate::docs::DocEvent::Hearing(h.id));
    Ok(StatusCode::NO_CONTENT)
}

/// The chairs share the joint response as it is now with the HMU (a new shared version).
#[utoipa::path(post, path = "/api/hearings/{id}/share", tag = "review", request_body = ShareBody,
    responses((status = 201, body = Shared), (status = 403), (status = 404), (status = 409)))]
pub async fn share(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<ShareBody>,
) -> Result<(StatusCode, Json<Shared>)> {
    let p = &caller.principal;
    let (h, _) = visible(&state, p, id).await?;
    let version_id = state.round.share(p, &h, b.name).await?;
    Ok((StatusCode::CREATED, Json(Shared { version_id })))
}

/// A chair approves the current shared version.
#[utoipa::path(post, path = "/api/hearings/{id}/approve", tag = "review", request_body = ApproveBody,
    responses((status = 204), (status = 403), (status = 404), (status = 409)))]
pub async fn approve(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<ApproveBody>,
) -> Result<StatusCode> {
    let p = &caller.principal;
    let (h, _) = visible(&state, p, id).await?;
    state.round.approve(p, &h, b.version_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Freezes the approved version into the record; its text is read-only for good.
#[utoipa::path(post, path = "/api/hearings/{id}/freeze", tag = "review",
    responses((status = 201, body = Frozen), (status = 403), (status = 404), (status = 409)))]
pub async fn freeze(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<(StatusCode, Json<Frozen>)> {
    let p = &caller.principal;
    let (h, _) = visible(&state, p, id).await?;
    let record_id = state.round.freeze(p, &h).await?;
    Ok((StatusCode::CREATED, Json(Frozen { record_id })))
}
