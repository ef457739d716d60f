//! The HTTP error type: every handler's failure becomes one of these, and is answered here as
//! `application/problem+json` with a plain Danish message; details go to the log.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::auth::Denied;
use crate::docs::HubError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("ugyldigt dokument-id")]
    InvalidDocumentId,
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("dokumentet kunne ikke indlæses")]
    Unavailable(#[from] HubError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    fn status(&self) -> StatusCode {
        match self {
            Error::InvalidDocumentId => StatusCode::NOT_FOUND,
            Error::Denied(Denied::WrongDocument) => StatusCode::FORBIDDEN,
            Error::Denied(_) => StatusCode::UNAUTHORIZED,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let body = serde_json::json!({
            "type": "about:blank",
            "title": status.canonical_reason().unwrap_or("Error"),
            "status": status.as_u16(),
            "detail": self.to_string(),
        });
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response()
    }
}
