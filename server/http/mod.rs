//! HTTP routes: the WebSocket for live documents, document reads, and operations.

mod documents;
mod ops;
mod ws;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio_util::sync::CancellationToken;

use crate::auth::TokenKey;
use crate::docs::Hub;
use crate::metrics::Metrics;
use crate::store::Store;

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
    pub tokens: TokenKey,
    pub metrics: Metrics,
    pub ws: WsLimits,
    pub shutdown: CancellationToken,
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/ws/{document_id}", get(ws::upgrade))
        .route(
            "/api/documents/{document_id}/content",
            get(documents::content),
        )
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/", get(ops::index))
        .with_state(state)
}
