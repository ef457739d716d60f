//! HTTP routes: the JSON API of the hearing round, the WebSocket for live documents, the
//! browser app, and operations. The API's OpenAPI document is generated from the handlers'
//! annotations and served at `/api/openapi.json`.

mod board;
pub mod caller;
mod committees;
mod consolidation;
pub mod documents;
mod files;
mod hearings;
pub mod json;
mod meetings;
mod ops;
mod people;
mod records;
mod responses;
mod review;
mod session;
mod tokens;
mod versions;
mod views;
mod web;
mod ws;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::routing::{any, get};
use tokio_util::sync::CancellationToken;
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::auth::TokenKey;
use crate::docs::Hub;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::workflow::Round;

/// Limits of the WebSocket endpoint.
#[derive(Debug, Clone)]
pub struct WsLimits {
    /// Largest frame (and message) accepted; larger ones close the connection (1009).
    pub max_frame_bytes: usize,
    /// A connection that sends nothing for this long is closed.
    pub idle_timeout: Duration,
}

/// Everything the handlers share.
pub struct AppState {
    pub hub: Hub,
    pub store: Store,
    pub round: Round,
    pub tokens: TokenKey,
    pub metrics: Metrics,
    pub ws: WsLimits,
    pub shutdown: CancellationToken,
    /// Where the built browser app is.
    pub web_dir: PathBuf,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Samskriv",
        description = "MED-udvalgenes fælles høringssvar. Errors are application/problem+json \
                       with a Danish `detail`. State-changing requests with the session cookie \
                       need the header X-CSRF-Token; requests with `Authorization: Bearer smk_…` \
                       (a personal API token) do not."
    ),
    tags(
        (name = "session", description = "Logging in, API tokens"),
        (name = "committees", description = "HMU and its LMUs"),
        (name = "hearings", description = "Hearings, their material and board"),
        (name = "responses", description = "The LMUs' responses"),
        (name = "documents", description = "Live documents over HTTP"),
        (name = "consolidation", description = "The chairs' consolidation of the LMU responses"),
        (name = "review", description = "Review, approval and freezing of the joint response"),
        (name = "versions", description = "Versions, diffs and exports of documents"),
        (name = "records", description = "The frozen record: verification, exports, filing"),
        (name = "meetings", description = "Meetings, agenda items and minutes"),
    )
)]
struct ApiDoc;

/// The API routes with their OpenAPI description.
fn api() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(session::login, session::current, session::logout))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::delete))
        .routes(routes!(committees::list))
        .routes(routes!(committees::members))
        .routes(routes!(people::list, people::create))
        .routes(routes!(people::set_membership, people::remove_membership))
        .routes(routes!(hearings::list, hearings::create))
        .routes(routes!(hearings::get, hearings::patch))
        .routes(routes!(hearings::open))
        .routes(routes!(hearings::close))
        .routes(routes!(hearings::audit))
        .routes(routes!(hearings::audit_all))
        .routes(routes!(board::get))
        .routes(routes!(board::events))
        .routes(
            routes!(files::upload).layer(DefaultBodyLimit::max(files::MAX_FILE_BYTES + (1 << 20))),
        )
        .routes(routes!(files::download, files::delete))
        .routes(routes!(responses::get))
        .routes(routes!(responses::submit))
        .routes(routes!(responses::reopen))
        .routes(routes!(documents::content))
        .routes(routes!(documents::update))
        .routes(routes!(consolidation::workspace))
        .routes(routes!(consolidation::take))
        .routes(routes!(consolidation::provenance))
        .routes(routes!(review::get))
        .routes(routes!(review::seen))
        .routes(routes!(review::comment))
        .routes(routes!(review::resolve))
        .routes(routes!(review::position))
        .routes(routes!(review::share))
        .routes(routes!(review::approve))
        .routes(routes!(review::freeze))
        .routes(routes!(versions::list, versions::create))
        .routes(routes!(versions::get))
        .routes(routes!(versions::export))
        .routes(routes!(versions::restore))
        .routes(routes!(versions::diff))
        .routes(routes!(records::of_hearing))
        .routes(routes!(records::list))
        .routes(routes!(board::hearing_events))
        .routes(routes!(records::get))
        .routes(routes!(records::check))
        .routes(routes!(records::export))
        .routes(routes!(records::file))
        .routes(routes!(records::meeting_document))
        .routes(routes!(records::attachment))
        .routes(routes!(meetings::list, meetings::create))
        .routes(routes!(meetings::get, meetings::update))
        .routes(routes!(meetings::add_item))
        .routes(routes!(meetings::update_item))
}

/// The OpenAPI document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}

/// Turns the plain-text rejections of axum's extractors (a path id that is not a number, a
/// missing query parameter, a body over the limit) into problem+json like every other error.
async fn problem_json(response: axum::response::Response) -> axum::response::Response {
    use axum::http::header::CONTENT_TYPE;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let detail = match status.as_u16() {
        400 => format!("ugyldig anmodning: {text}"),
        404 => "findes ikke".to_owned(),
        405 => "metoden er ikke tilladt her".to_owned(),
        413 => "anmodningen er for stor".to_owned(),
        415 => format!("forkert indholdstype: {text}"),
        422 => format!("ugyldige felter: {text}"),
        _ => text.trim().to_owned(),
    };
    let problem = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
    });
    (
        status,
        [(CONTENT_TYPE, "application/problem+json")],
        problem.to_string(),
    )
        .into_response()
}

pub fn router(state: Arc<AppState>) -> Router {
    let (api, spec) = api().split_for_parts();
    // Bodies as large as a WebSocket frame (an update sent over HTTP); uploads have their own.
    let api = api
        .layer(axum::middleware::map_response(problem_json))
        .layer(DefaultBodyLimit::max(state.ws.max_frame_bytes));
    let spec = Arc::new(spec);
    let web_dir = state.web_dir.clone();
    api.route(
        "/api/openapi.json",
        get(move || {
            let spec = spec.clone();
            async move { axum::Json((*spec).clone()) }
        }),
    )
    .route("/api/{*rest}", any(web::api_not_found))
    .route("/ws/{document_id}", get(ws::upgrade))
    .route("/healthz", get(ops::healthz))
    .route("/metrics", get(ops::metrics))
    .with_state(state)
    .merge(web::app(&web_dir))
}
