//! The browser app: the files built into the web directory (web/dist), with `index.html` for
//! every other path so the app's own routes work on reload. Unknown `/api/…` paths are 404
//! problems, never the app.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse};
use tower_http::services::{ServeDir, ServeFile};

use crate::error::Error;

/// The router serving the app from `dir`, or a page that says how to build it.
pub fn app<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let index = dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(dir = %dir.display(), "the browser app is not built; serving a notice");
        return Router::new().fallback(not_built);
    }
    let serve = ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .fallback(ServeFile::new(index));
    Router::new()
        .fallback_service(serve)
        .layer(axum::middleware::map_response(security_headers))
}

async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
             connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        ),
    );
    response
}

async fn not_built() -> impl IntoResponse {
    Html(
        "<!doctype html><html lang=\"da\"><head><meta charset=\"utf-8\"><title>Samskriv</title></head>\
         <body><main><h1>Samskriv</h1><p>Serveren kører, men browserappen er ikke bygget. \
         Kør <code>./scripts/serve.sh</code>, eller byg den med <code>npm ci &amp;&amp; npm run build</code> \
         i mappen <code>web/</code>, og start serveren igen.</p></main></body></html>",
    )
}

/// Any `/api/…` path that no route takes.
pub async fn api_not_found() -> Error {
    Error::not_found("ukendt API-sti")
}
