//! JSON in and out: a body extractor whose rejections are problem+json, and RFC 3339 times.

use std::time::{Duration, UNIX_EPOCH};

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::Error;

/// `axum::Json`, but a body that does not parse is a 400/415/422 with a Danish explanation.
pub struct Body<T>(pub T);

impl<T, S> FromRequest<S> for Body<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(Error::UnsupportedType(
                "forventede JSON (Content-Type: application/json)".into(),
            )),
            Err(JsonRejection::JsonDataError(e)) => Err(Error::Invalid(format!(
                "ugyldige felter: {}",
                e.body_text()
            ))),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(Error::BadRequest(format!(
                "ugyldig JSON: {}",
                e.body_text()
            ))),
            Err(e) => Err(Error::BadRequest(format!(
                "anmodningen kunne ikke læses: {}",
                e.body_text()
            ))),
        }
    }
}

/// Epoch milliseconds as RFC 3339 in UTC (`2026-11-29T21:48:20.123Z`).
pub fn time(ms: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(t).to_string()
}

pub fn time_opt(ms: Option<i64>) -> Option<String> {
    ms.map(time)
}

/// Reads an RFC 3339 time in UTC (`…Z`) as epoch milliseconds; `field` names it in the error.
pub fn parse_time(s: &str, field: &str) -> Result<i64, Error> {
    humantime::parse_rfc3339_weak(s.trim_end_matches('Z'))
        .ok()
        .filter(|_| s.ends_with('Z'))
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_millis() as i64)
        .ok_or_else(|| {
            Error::invalid(format!(
                "{field}: ugyldigt tidspunkt {s:?} (forventede UTC som 2026-01-31T12:00:00Z)"
            ))
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_round_trip() {
        let ms = 1_700_000_000_123;
        let s = super::time(ms);
        assert_eq!(s, "2023-11-14T22:13:20.123Z");
        assert_eq!(super::parse_time(&s, "x").unwrap(), ms);
        assert_eq!(
            super::parse_time("2023-09-25T14:00:00Z", "x").unwrap(),
            1_695_650_400_000
        );
        assert!(super::parse_time("2023-09-25T14:00:00+02:00", "x").is_err());
        assert!(super::parse_time("i morgen", "x").is_err());
    }
}
