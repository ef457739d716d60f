//! People and memberships, managed by the secretariat: `/api/users`,
//! `/api/committees/{id}/members/{user_id}`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::caller::Caller;
use super::json::Body;
use crate::auth::password;
use crate::domain::policy::Role;
use crate::error::{Error, Result};

#[derive(Serialize, ToSchema)]
pub struct Person {
    id: i64,
    name: String,
    email: String,
    secretariat: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    name: String,
    email: String,
    /// At least 8 characters; the person changes nothing here, so hand it over safely.
    password: String,
    #[serde(default)]
    secretariat: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct MembershipBody {
    role: Role,
}

fn secretariat_only(caller: &Caller) -> Result<()> {
    if caller.principal.secretariat {
        Ok(())
    } else {
        Err(Error::forbidden(
            "kun sekretariatet administrerer brugere og medlemskaber",
        ))
    }
}

/// Every user (secretariat).
#[utoipa::path(get, path = "/api/users", tag = "committees", responses((status = 200, body = [Person]), (status = 403)))]
pub async fn list(State(state): State<Arc<AppState>>, caller: Caller) -> Result<Json<Vec<Person>>> {
    secretariat_only(&caller)?;
    Ok(Json(
        state
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| Person {
                id: u.id,
                name: u.name,
                email: u.email,
                secretariat: u.secretariat,
            })
            .collect(),
    ))
}

/// Creates a user (secretariat).
#[utoipa::path(post, path = "/api/users", tag = "committees", request_body = NewPerson,
    responses((status = 201, body = Person), (status = 403), (status = 409), (status = 422)))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(b): Body<NewPerson>,
) -> Result<(StatusCode, Json<Person>)> {
    secretariat_only(&caller)?;
    let name = b.name.trim();
    let email = b.email.trim().to_lowercase();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Error::invalid("navnet skal være 1–200 tegn"));
    }
    let at = email.find('@');
    if email.len() > 320
        || at.is_none_or(|i| i == 0 || i == email.len() - 1)
        || email.contains(char::is_whitespace)
    {
        return Err(Error::invalid("ugyldig e-mailadresse"));
    }
    if b.password.chars().count() < password::MIN_LENGTH || b.password.len() > 1024 {
        return Err(Error::invalid(format!(
            "adgangskoden skal være mindst {} tegn",
            password::MIN_LENGTH
        )));
    }
    let pw = b.password;
    let hash = tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(Error::Internal)?;
    let id = state
        .store
        .create_user(name, &email, &hash, b.secretariat)
        .await?
        .ok_or_else(|| {
            Error::Conflict("der findes allerede en bruger med den e-mailadresse".into())
        })?;
    state
        .store
        .audit(
            Some(caller.principal.user),
            "user.created",
            None,
            serde_json::json!({ "user": id, "email": email, "secretariat": b.secretariat }),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Person {
            id,
            name: name.to_owned(),
            email,
            secretariat: b.secretariat,
        }),
    ))
}

/// Makes a user a member or chair of a committee (secretariat).
#[utoipa::path(put, path = "/api/committees/{id}/members/{user_id}", tag = "committees", request_body = MembershipBody,
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn set_membership(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((committee, user)): Path<(i64, i64)>,
    Body(b): Body<MembershipBody>,
) -> Result<StatusCode> {
    secretariat_only(&caller)?;
    if state.store.committee(committee).await?.is_none() {
        return Err(Error::not_found("udvalget findes ikke"));
    }
    if state.store.user(user).await?.is_none() {
        return Err(Error::not_found("brugeren findes ikke"));
    }
    state.store.set_membership(user, committee, b.role).await?;
    state.hub.reauthorise(user);
    state
        .store
        .audit(
            Some(caller.principal.user),
            "membership.set",
            None,
            serde_json::json!({ "user": user, "committee": committee, "role": b.role }),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a user from a committee (secretariat).
#[utoipa::path(delete, path = "/api/committees/{id}/members/{user_id}", tag = "committees",
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn remove_membership(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((committee, user)): Path<(i64, i64)>,
) -> Result<StatusCode> {
    secretariat_only(&caller)?;
    if !state.store.remove_membership(user, committee).await? {
        return Err(Error::not_found("brugeren er ikke medlem af udvalget"));
    }
    state.hub.reauthorise(user);
    state
        .store
        .audit(
            Some(caller.principal.user),
            "membership.removed",
            None,
            serde_json::json!({ "user": user, "committee": committee }),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
