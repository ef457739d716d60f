//! Logging in and out: `POST /api/session`, `GET /api/session`, `DELETE /api/session`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::caller::{Caller, SESSION_COOKIE, Via};
use super::json::Body;
use super::views::User;
use crate::auth::{password, secret};
use crate::error::{Error, Result};
use crate::store::now_millis;

/// How long a session lasts.
const SESSION_HOURS: i64 = 12;
/// Failed logins for one e-mail within the window before further tries are refused.
const MAX_FAILURES: i64 = 5;
const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    email: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Session {
    user: User,
    /// Send as `X-CSRF-Token` with every state-changing request.
    csrf_token: String,
}

/// Log in with e-mail and password.
#[utoipa::path(post, path = "/api/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = Session), (status = 401, description = "forkert e-mail eller adgangskode"),
              (status = 429, description = "for mange forsøg")))]
pub async fn login(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Body(req): Body<LoginRequest>,
) -> Result<Response> {
    let email = req.email.trim().to_lowercase();
    if email.is_empty() || email.len() > 320 || req.password.len() > 1024 {
        return Err(Error::WrongCredentials);
    }
    let since = now_millis() - FAILURE_WINDOW_MS;
    if state.store.login_failures(&email, since).await? >= MAX_FAILURES {
        tracing::warn!(%email, "login throttled");
        return Err(Error::TooManyAttempts);
    }
    let found = state.store.user_credentials(&email).await?;
    let hash = found
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_owned());
    let pw = req.password;
    let ok = tokio::task::spawn_blocking(move || password::verify(&pw, &hash))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    let user = match (found, ok) {
        (Some(c), true) => c.user,
        _ => {
            state.store.record_login_failure(&email, since).await?;
            tracing::info!(%email, "login failed");
            return Err(Error::WrongCredentials);
        }
    };
    state.store.clear_login_failures(&email).await?;
    let token = secret::random_token();
    let csrf = secret::random_token();
    let expires = now_millis() + SESSION_HOURS * 3600 * 1000;
    state
        .store
        .create_session(&secret::digest(&token), user.id, &csrf, expires)
        .await?;
    let principal = state
        .store
        .principal(user.id)
        .await?
        .ok_or(Error::WrongCredentials)?;
    let body = Session {
        user: User::load(&state.store, &principal).await?,
        csrf_token: csrf,
    };
    let mut response = Json(body).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&token, SESSION_HOURS * 3600, over_tls(&headers)),
    );
    Ok(response)
}

/// The logged-in user and the session's CSRF token.
#[utoipa::path(get, path = "/api/session", tag = "session",
    responses((status = 200, body = Session), (status = 401, description = "ikke logget ind")))]
pub async fn current(State(state): State<Arc<AppState>>, caller: Caller) -> Result<Json<Session>> {
    let csrf = match &caller.via {
        Via::Cookie { csrf, .. } => csrf.clone(),
        // API tokens need no CSRF token.
        Via::ApiToken => String::new(),
    };
    Ok(Json(Session {
        user: User::load(&state.store, &caller.principal).await?,
        csrf_token: csrf,
    }))
}

/// Log out: the session ends on the server and the cookie is cleared.
#[utoipa::path(delete, path = "/api/session", tag = "session",
    responses((status = 204, description = "logget ud")))]
pub async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    caller: Caller,
) -> Result<Response> {
    if let Via::Cookie { token_hash, .. } = &caller.via {
        state.store.delete_session(token_hash).await?;
        // Documents opened with this session do not stay open after it: the person's
        // connections reconnect and are authorised anew (those of this session are refused).
        state.hub.reauthorise(caller.principal.user);
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie("", 0, over_tls(&headers)),
    );
    Ok(response)
}

/// Whether the browser reached us over TLS (directly or through a proxy that says so).
fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

fn session_cookie(token: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .expect("cookie is ASCII")
}
