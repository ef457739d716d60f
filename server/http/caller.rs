//! Who is calling: a session cookie, a personal API token (`Authorization: Bearer smk_…` or
//! `?token=smk_…`) or a signed document token (`?token=…`). State-changing requests that rely on
//! the cookie must carry the session's CSRF token in `X-CSRF-Token`.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};

use super::AppState;
use crate::auth::secret;
use crate::auth::{Identity, verify_token};
use crate::domain::policy::Principal;
use crate::error::{Error, Result};
use crate::store::Store;

pub const SESSION_COOKIE: &str = "samskriv_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Personal API tokens start with this, so they are told apart from document tokens.
pub const API_TOKEN_PREFIX: &str = "smk_";

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// The session cookie; `csrf` is the session's CSRF token.
    Cookie {
        csrf: String,
        token_hash: String,
    },
    ApiToken,
}

/// A logged-in person. Extracting it answers 401 when nobody is logged in, and 403 when a
/// state-changing request relies on the cookie without the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub via: Via,
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self> {
        let caller = person(&state.store, &parts.headers, None)
            .await?
            .ok_or(Error::Unauthenticated)?;
        if let Via::Cookie { csrf, .. } = &caller.via {
            let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !safe && !secret::same(sent, csrf) {
                return Err(Error::Csrf);
            }
        }
        Ok(caller)
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// The person behind the session cookie or a personal API token (from the Authorization header,
/// or `query_token` when it is one), if any.
pub async fn person(
    store: &Store,
    headers: &HeaderMap,
    query_token: Option<&str>,
) -> Result<Option<Caller>> {
    if let Some(token) = cookie(headers, SESSION_COOKIE) {
        let token_hash = secret::digest(token);
        if let Some(session) = store.session(&token_hash).await?
            && let Some(principal) = store.principal(session.user).await?
        {
            return Ok(Some(Caller {
                principal,
                via: Via::Cookie {
                    csrf: session.csrf_token,
                    token_hash,
                },
            }));
        }
    }
    let api_token = bearer(headers)
        .or(query_token)
        .filter(|t| t.starts_with(API_TOKEN_PREFIX));
    if let Some(token) = api_token {
        let Some(user) = store.api_token_user(&secret::digest(token)).await? else {
            return Err(Error::Unauthenticated);
        };
        if let Some(principal) = store.principal(user).await? {
            return Ok(Some(Caller {
                principal,
                via: Via::ApiToken,
            }));
        }
    }
    Ok(None)
}

/// Who asks for a document: a person (cookie or API token) or a document token. `None` when
/// the request carries nothing.
pub async fn identity(
    state: &AppState,
    headers: &HeaderMap,
    query_token: Option<&str>,
) -> Result<Option<(Identity, bool)>> {
    if let Some(caller) = person(&state.store, headers, query_token).await? {
        let cookie = matches!(caller.via, Via::Cookie { .. });
        return Ok(Some((Identity::Person(caller.principal), cookie)));
    }
    let token = bearer(headers).or(query_token);
    match token {
        Some(t) if !t.starts_with(API_TOKEN_PREFIX) => {
            let claims = verify_token(&state.tokens, t)?;
            Ok(Some((Identity::Token(claims), false)))
        }
        _ => Ok(None),
    }
}

/// Whether a browser request comes from this server's own pages: its `Origin` names the host it
/// was sent to. Cookie-authenticated WebSockets need it (browsers send cookies on cross-site
/// WebSocket handshakes).
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Not a browser: no cross-site risk.
        return true;
    };
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host)
}
