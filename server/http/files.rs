//! Hearing material: uploading, downloading and deleting PDF and DOCX files.
//!
//! Files are checked by their bytes, not by what the browser says: a PDF starts with `%PDF-`, a
//! DOCX is a ZIP holding `word/document.xml`. They are kept in the database; the name the user
//! gave is shown, never used as a path, and downloads are always attachments.

use std::sync::Arc;

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::AppState;
use super::caller::Caller;
use super::hearings::{HearingFile, visible};
use super::json::time;
use super::views::UserRef;
use crate::auth::secret::hex;
use crate::domain::hearing::HearingState;
use crate::domain::policy;
use crate::error::{Error, Result};

/// Largest file accepted.
pub const MAX_FILE_BYTES: usize = 20 << 20;
const PDF: &str = "application/pdf";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The type of a file by its bytes: PDF, DOCX, or neither.
pub fn sniff(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(b"%PDF-") {
        return Some(PDF);
    }
    let zip = data.starts_with(b"PK\x03\x04");
    // Entry names are stored in the clear in a ZIP's headers.
    let word = data
        .windows(b"word/document.xml".len())
        .any(|w| w == b"word/document.xml");
    (zip && word).then_some(DOCX)
}

/// A file name safe to show and to put in a header: no directories, no control or
/// direction-override characters, at most 150 characters, and the extension that matches the
/// content.
pub fn clean_name(raw: &str, content_type: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let mut name: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':')
                // Direction overrides make "fdp.exe" look like "exe.pdf".
                && !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .chars()
        .take(150)
        .collect();
    let ext = if content_type == PDF { ".pdf" } else { ".docx" };
    if !name.to_lowercase().ends_with(ext) {
        let stem = name
            .rsplit_once('.')
            .map(|(s, _)| s.to_owned())
            .unwrap_or(name.clone());
        name = format!("{}{ext}", if stem.is_empty() { "bilag" } else { &stem });
    }
    name
}

/// Uploads a PDF or DOCX file (multipart field `file`) to the hearing's material.
#[utoipa::path(post, path = "/api/hearings/{id}/files", tag = "hearings",
    request_body(content_type = "multipart/form-data", description = "field `file`: a PDF or DOCX file"),
    responses((status = 201, body = HearingFile), (status = 403), (status = 409), (status = 413), (status = 415)))]
pub async fn upload(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<HearingFile>)> {
    let p = &caller.principal;
    let (h, _) = visible(&state, p, id).await?;
    if !policy::may_manage_hearings(p) {
        return Err(Error::forbidden(
            "kun sekretariatet kan lægge høringsmateriale op",
        ));
    }
    if !matches!(h.state, HearingState::Draft | HearingState::Collecting) {
        return Err(Error::Conflict(format!(
            "høringen er {}; materialet kan ikke længere ændres",
            h.state.label()
        )));
    }
    let mut multipart = multipart.map_err(|e| {
        Error::BadRequest(format!(
            "forventede en fil (multipart/form-data): {}",
            e.body_text()
        ))
    })?;
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::TooLarge("filen er større end 20 MB".into())
        } else {
            Error::BadRequest(format!("filen kunne ikke læses: {}", e.body_text()))
        }
    };
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        if field.name() != Some("file") {
            continue;
        }
        let raw_name = field.file_name().unwrap_or("").to_owned();
        let mut data = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            if data.len() + chunk.len() > MAX_FILE_BYTES {
                return Err(Error::TooLarge("filen er større end 20 MB".into()));
            }
            data.extend_from_slice(&chunk);
        }
        if data.is_empty() {
            return Err(Error::invalid("filen er tom"));
        }
        let content_type = sniff(&data).ok_or_else(|| {
            Error::UnsupportedType("kun PDF- og Word-filer (DOCX) kan lægges op".into())
        })?;
        let name = clean_name(&raw_name, content_type);
        let sha256 = hex(&Sha256::digest(&data));
        let row = state
            .store
            .add_file(id, &name, content_type, &sha256, &data, p.user)
            .await?;
        state.hub.events().send(crate::docs::DocEvent::Hearing(id));
        return Ok((
            StatusCode::CREATED,
            Json(HearingFile {
                id: row.id,
                name: row.name,
                content_type: row.content_type,
                size: row.size,
                sha256: row.sha256,
                uploaded_at: time(row.uploaded_at),
                uploaded_by: Some(UserRef {
                    id: p.user,
                    name: p.name.clone(),
                }),
            }),
        ));
    }
    Err(Error::BadRequest(
        "anmodningen indeholder ingen fil (feltet 'file')".into(),
    ))
}

/// Downloads a file of the hearing's material.
#[utoipa::path(get, path = "/api/hearings/{id}/files/{file_id}", tag = "hearings",
    responses((status = 200, description = "the file"), (status = 404)))]
pub async fn download(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((id, file_id)): Path<(i64, i64)>,
) -> Result<Response> {
    visible(&state, &caller.principal, id).await?;
    let (file, data) = state
        .store
        .file_data(id, file_id)
        .await?
        .ok_or_else(|| Error::not_found("filen findes ikke"))?;
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CONTENT_DISPOSITION, disposition(&file.name)),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (header::CACHE_CONTROL, "private, no-store".into()),
        ],
        data,
    )
        .into_response())
}

/// Removes a file from the material (secretariat, while the hearing is a draft or collecting).
#[utoipa::path(delete, path = "/api/hearings/{id}/files/{file_id}", tag = "hearings",
    responses((status = 204), (status = 403), (status = 404), (status = 409)))]
pub async fn delete(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((id, file_id)): Path<(i64, i64)>,
) -> Result<StatusCode> {
    let p = &caller.principal;
    let (h, _) = visible(&state, p, id).await?;
    if !policy::may_manage_hearings(p) {
        return Err(Error::forbidden(
            "kun sekretariatet kan fjerne høringsmateriale",
        ));
    }
    if !matches!(h.state, HearingState::Draft | HearingState::Collecting) {
        return Err(Error::Conflict(format!(
            "høringen er {}; materialet kan ikke længere ændres",
            h.state.label()
        )));
    }
    if !state.store.delete_file(id, file_id, p.user).await? {
        return Err(Error::not_found("filen findes ikke"));
    }
    state.hub.events().send(crate::docs::DocEvent::Hearing(id));
    Ok(StatusCode::NO_CONTENT)
}

/// `attachment` with an ASCII fallback name and the real one in RFC 5987 form.
pub fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(PDF));
        let mut docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml...".to_vec();
        assert_eq!(sniff(&docx), Some(DOCX));
        docx.truncate(20);
        assert_eq!(sniff(&docx), None, "a ZIP without a Word document");
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(clean_name("../../etc/passwd", PDF), "passwd.pdf");
        assert_eq!(clean_name("C:\\Users\\x\\Høring.pdf", PDF), "Høring.pdf");
        assert_eq!(clean_name("svar\u{0}\n.docx", DOCX), "svar.docx");
        assert_eq!(clean_name("", PDF), "bilag.pdf");
        assert_eq!(clean_name(".htaccess", PDF), "htaccess.pdf");
        assert_eq!(clean_name("plan.exe", PDF), "plan.pdf");
        assert_eq!(clean_name("a\"b<c>.pdf", PDF), "abc.pdf");
        assert!(clean_name(&"x".repeat(500), DOCX).chars().count() <= 155);
    }

    #[test]
    fn disposition_is_an_attachment_with_both_names() {
        let d = disposition("Høringsbrev \"ny\".pdf");
        assert!(
            d.starts_with("attachment; filename=\"H_ringsbrev ny.pdf\""),
            "{d}"
        );
        assert!(
            d.ends_with("filename*=UTF-8''H%C3%B8ringsbrev%20%22ny%22.pdf"),
            "{d}"
        );
    }
}
