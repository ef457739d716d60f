//! The HTTP error type: every handler's failure becomes one of these, and is answered here as
//! `application/problem+json` with a plain Danish message; details go to the log.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::auth::Denied;
use crate::docs::HubError;
use crate::store::StoreError;
use crate::store::hearings::ChangeError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("ugyldigt dokument-id")]
    InvalidDocumentId,
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("dokumentet kunne ikke indlæses")]
    Unavailable(#[from] HubError),
    #[error("du er ikke logget ind")]
    Unauthenticated,
    #[error("forkert e-mail eller adgangskode")]
    WrongCredentials,
    #[error("for mange mislykkede forsøg på at logge ind; prøv igen om et kvarter")]
    TooManyAttempts,
    #[error("anmodningen mangler et gyldigt CSRF-token (genindlæs siden)")]
    Csrf,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    UnsupportedType(String),
    #[error("der opstod en fejl på serveren")]
    Store(#[from] StoreError),
    #[error("der opstod en fejl på serveren")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn forbidden(why: &str) -> Self {
        Error::Forbidden(why.to_owned())
    }

    pub fn not_found(what: &str) -> Self {
        Error::NotFound(what.to_owned())
    }

    pub fn invalid(why: impl Into<String>) -> Self {
        Error::Invalid(why.into())
    }

    fn status(&self) -> StatusCode {
        match self {
            Error::InvalidDocumentId | Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Denied(Denied::WrongDocument | Denied::Forbidden) => StatusCode::FORBIDDEN,
            Error::Denied(_) | Error::Unauthenticated | Error::WrongCredentials => {
                StatusCode::UNAUTHORIZED
            }
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            Error::Csrf | Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::UnsupportedType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::Store(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<ChangeError> for Error {
    fn from(e: ChangeError) -> Self {
        match e {
            ChangeError::NotFound => Error::not_found("findes ikke"),
            ChangeError::Conflict => Error::Conflict(
                "det er ændret af en anden i mellemtiden; genindlæs siden og prøv igen".into(),
            ),
            ChangeError::Refused(why) => Error::Conflict(why),
            ChangeError::Store(e) => Error::Store(e),
        }
    }
}

impl From<crate::domain::hearing::Refused> for Error {
    fn from(e: crate::domain::hearing::Refused) -> Self {
        Error::Conflict(e.0)
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
