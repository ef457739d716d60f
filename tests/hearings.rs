//! The hearing round, part 1, through the real server's HTTP API and WebSocket: hearings and
//! their states, material uploads, LMU responses (submit, late, reopen), the board, the audit log,
//! sessions, CSRF and login throttling. The server runs with `--demo` (HMU Socialområdet, its
//! nine LMUs and their fictional members) on a throwaway database.

mod common;

use std::time::Duration;

use common::{Api, HearingEvents, LocalDoc, RawClient, TestServer, days_from_now, is_saved};
use serde_json::{Value, json};

const SECRETARIAT: &str = "sekretariat@demo.samskriv.dk";
const HMU_CHAIR: &str = "formand@demo.samskriv.dk";
const SBU_CHAIR: &str = "sbu.formand@demo.samskriv.dk";
const SBU_MEMBER: &str = "sbu.medlem1@demo.samskriv.dk";
const SAU_MEMBER: &str = "sau.medlem1@demo.samskriv.dk";

/// The id of the committee with this short name.
async fn committee(api: &Api, short: &str) -> i64 {
    let (status, list) = api.get("/api/committees").await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["short_name"] == short)
        .unwrap_or_else(|| panic!("no committee {short}"))["id"]
        .as_i64()
        .unwrap()
}

/// Creates a hearing inviting `lmus` (short names) with the LMU deadline `lmu_days` from now.
async fn create_hearing(secretariat: &Api, title: &str, lmus: &[&str], lmu_days: i64) -> Value {
    let hmu = committee(secretariat, "HMU").await;
    let mut invited = Vec::new();
    for l in lmus {
        invited.push(committee(secretariat, l).await);
    }
    let (status, h) = secretariat
        .post(
            "/api/hearings",
            &json!({
                "committee_id": hmu,
                "title": title,
                "issuing_body": "Socialdirektionen",
                "description": "Beskrivelse med æ, ø og å.",
                "lmu_deadline": days_from_now(lmu_days),
                "hmu_deadline": days_from_now(lmu_days.max(0) + 14),
                "invited": invited,
            }),
        )
        .await;
    assert_eq!(status, 201, "{h}");
    h
}

/// Sends a draft hearing out, then moves its LMU deadline to yesterday (it passes while the
/// hearing is out; the HMU deadline stays `hmu_days` ahead).
async fn pass_deadline(secretariat: &Api, id: i64, hmu_days: i64) {
    let (status, body) = secretariat
        .post(&format!("/api/hearings/{id}/open"), &json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = secretariat
        .patch(
            &format!("/api/hearings/{id}"),
            &json!({"lmu_deadline": days_from_now(-1), "hmu_deadline": days_from_now(hmu_days)}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// The response of the LMU `short` in hearing `h`, as `api` sees the hearing list.
async fn my_response(api: &Api, hearing: i64, short: &str) -> i64 {
    let (status, list) = api.get("/api/hearings").await;
    assert_eq!(status, 200, "{list}");
    let h = list
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == hearing)
        .unwrap_or_else(|| panic!("hearing {hearing} not in {list}"));
    h["my_responses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["committee"]["short_name"] == short)
        .unwrap_or_else(|| panic!("no {short} response in {h}"))["id"]
        .as_i64()
        .unwrap()
}

/// Sends one edit over the WebSocket with the session cookie; true when the server says it is
/// saved, false when it refuses it.
async fn write_over_ws(server: &TestServer, api: &Api, document: &str) -> bool {
    let url = format!("{}/{document}?ack=1", server.ws_url());
    let origin = format!("http://127.0.0.1:{}", server.port);
    let mut ws =
        RawClient::connect_with(&url, &[("cookie", api.cookie_header()), ("origin", origin)])
            .await
            .expect("handshake");
    let doc = LocalDoc::new();
    let update = doc.append("tekst fra en test ");
    ws.send(samskriv::sync::message::encode_update(&update).to_vec())
        .await;
    let verdict = ws
        .recv_until(Duration::from_secs(10), |f| {
            is_saved(f) || f.first() == Some(&2)
        })
        .await;
    ws.close().await;
    is_saved(&verdict)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hearing_goes_from_draft_through_collection_to_consolidation() {
    let server = TestServer::start_with(&["--demo"]);
    let secretariat = Api::demo(server.port, SECRETARIAT).await;
    let chair = Api::demo(server.port, HMU_CHAIR).await;
    let sbu_chair = Api::demo(server.port, SBU_CHAIR).await;
    let sau_chair = Api::demo(server.port, "sau.formand@demo.samskriv.dk").await;

    // Only the secretariat creates hearings, and bad input is refused field by field.
    let (status, body) = chair.post("/api/hearings", &json!({})).await;
    assert_eq!(status, 422, "{body}");
    let hmu = committee(&secretariat, "HMU").await;
    let sbu = committee(&secretariat, "SBU").await;
    let base = json!({"committee_id": hmu, "title": "Budget 2027", "issuing_body": "Direktionen",
        "lmu_deadline": days_from_now(7), "hmu_deadline": days_from_now(14), "invited": [sbu]});
    let (status, body) = chair.post("/api/hearings", &base).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("sekretariatet"));
    for (field, value, why) in [
        ("title", json!("  "), "titlen"),
        ("hmu_deadline", json!(days_from_now(3)), "HMU-fristen"),
        ("lmu_deadline", json!("næste uge"), "lmu_deadline"),
        ("invited", json!([]), "mindst ét LMU"),
        ("invited", json!([hmu]), "ikke et LMU"),
        ("committee_id", json!(sbu), "hovedudvalg"),
    ] {
        let mut body = base.clone();
        body[field] = value;
        let (status, answer) = secretariat.post("/api/hearings", &body).await;
        assert_eq!(status, 422, "{field}: {answer}");
        assert!(
            answer["detail"].as_str().unwrap().contains(why),
            "{field}: {answer}"
        );
    }

    let h = create_hearing(&secretariat, "Ny psykiatriplan", &["SBU", "SAU"], 7).await;
    let id = h["id"].as_i64().unwrap();
    assert_eq!(h["state"], "draft");
    assert_eq!(h["can"]["open"], true);
    // A draft is the secretariat's: nobody else sees it.
    for api in [&chair, &sbu_chair] {
        let (status, _) = api.get(&format!("/api/hearings/{id}")).await;
        assert_eq!(status, 404);
        let (_, list) = api.get("/api/hearings").await;
        assert!(!list.as_array().unwrap().iter().any(|x| x["id"] == id));
    }
    // Fields change while it is a draft; invitations too.
    let (status, patched) = secretariat
        .patch(
            &format!("/api/hearings/{id}"),
            &json!({"title": "Ny psykiatriplan for regionen"}),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["title"], "Ny psykiatriplan for regionen");
    let (status, _) = secretariat
        .patch(&format!("/api/hearings/{id}"), &json!({"state": "frozen"}))
        .await;
    assert_eq!(status, 422, "unknown fields are refused");

    // Refused transitions say why.
    let (status, body) = secretariat
        .post(&format!("/api/hearings/{id}/close"), &json!({}))
        .await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = sbu_chair
        .post(&format!("/api/hearings/{id}/open"), &json!({}))
        .await;
    assert_eq!(status, 404, "an LMU chair does not see the draft: {body}");
    let (status, opened) = secretariat
        .post(&format!("/api/hearings/{id}/open"), &json!({}))
        .await;
    assert_eq!(status, 200, "{opened}");
    assert_eq!(opened["state"], "collecting");
    assert!(opened["joint_document_id"].is_string());
    let (status, _) = secretariat
        .post(&format!("/api/hearings/{id}/open"), &json!({}))
        .await;
    assert_eq!(status, 409, "opening twice");
    let (status, _) = secretariat
        .patch(&format!("/api/hearings/{id}"), &json!({"invited": [sbu]}))
        .await;
    assert_eq!(status, 409, "invitations are fixed once it is out");

    // Now the invited LMUs see it, each with its own response.
    let sbu_response = my_response(&sbu_chair, id, "SBU").await;
    let sau_response = my_response(&sau_chair, id, "SAU").await;
    // Collection cannot close before the deadline while responses are missing.
    let (status, body) = chair
        .post(&format!("/api/hearings/{id}/close"), &json!({}))
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["detail"].as_str().unwrap().contains("mangler"),
        "{body}"
    );

    // The last submission closes the collection by itself.
    let (status, r) = sbu_chair
        .post(&format!("/api/responses/{sbu_response}/submit"), &json!({}))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["status"], "submitted");
    assert_eq!(r["late"], false);
    let (_, h) = secretariat.get(&format!("/api/hearings/{id}")).await;
    assert_eq!(h["state"], "collecting");
    let (status, r) = sau_chair
        .post(&format!("/api/responses/{sau_response}/submit"), &json!({}))
        .await;
    assert_eq!(status, 200, "{r}");
    let (_, h) = secretariat.get(&format!("/api/hearings/{id}")).await;
    assert_eq!(h["state"], "consolidating", "{h}");

    // Every change is in the audit log, for the secretariat only.
    let (status, log) = secretariat.get(&format!("/api/hearings/{id}/audit")).await;
    assert_eq!(status, 200, "{log}");
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "hearing.created",
        "hearing.updated",
        "hearing.opened",
        "response.submitted",
        "hearing.closed",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    let closed = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "hearing.closed")
        .unwrap();
    assert!(closed["user"].is_null(), "closed by the server itself");
    assert_eq!(closed["detail"]["reason"], "all_submitted");
    let submitted = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "response.submitted")
        .unwrap();
    assert!(submitted["user"]["name"].is_string());
    assert!(submitted["at"].as_str().unwrap().ends_with('Z'));
    let (status, _) = chair.get(&format!("/api/hearings/{id}/audit")).await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submitting_keeps_a_version_locks_the_text_and_can_be_reopened() {
    let server = TestServer::start_with(&["--demo"]);
    let secretariat = Api::demo(server.port, SECRETARIAT).await;
    let member = Api::demo(server.port, SBU_MEMBER).await;
    let chair = Api::demo(server.port, SBU_CHAIR).await;
    let hmu_chair = Api::demo(server.port, HMU_CHAIR).await;
    let other = Api::demo(server.port, SAU_MEMBER).await;

    let h = create_hearing(&secretariat, "Arbejdsmiljøstrategi", &["SBU", "SAU"], 7).await;
    let id = h["id"].as_i64().unwrap();
    secretariat
        .post(&format!("/api/hearings/{id}/open"), &json!({}))
        .await;
    let response = my_response(&member, id, "SBU").await;
    let (status, r) = member.get(&format!("/api/responses/{response}")).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["access"], "rw");
    assert_eq!(r["can"]["submit"], false, "members do not submit");
    let document = r["document_id"].as_str().unwrap().to_owned();

    // Members write; the draft is private to the LMU.
    assert!(write_over_ws(&server, &member, &document).await);
    for outsider in [&other, &hmu_chair, &secretariat] {
        let (status, _) = outsider.get(&format!("/api/responses/{response}")).await;
        assert_eq!(status, 404);
        let (status, _) = outsider
            .get(&format!("/api/documents/{document}/content"))
            .await;
        assert_eq!(status, 403);
    }
    let (status, body) = member
        .post(&format!("/api/responses/{response}/submit"), &json!({}))
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("formandskab"));

    let (status, r) = chair
        .post(&format!("/api/responses/{response}/submit"), &json!({}))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["access"], "ro");
    assert!(r["submitted_version_id"].is_i64());
    assert!(r["submitted_by"]["name"].is_string());
    let (status, _) = chair
        .post(&format!("/api/responses/{response}/submit"), &json!({}))
        .await;
    assert_eq!(status, 409, "submitting twice");

    // The text is read-only for the LMU now, over the WebSocket and over HTTP.
    assert!(!write_over_ws(&server, &member, &document).await);
    let update = LocalDoc::new().append("efter indsendelse");
    let (status, body) = member
        .send_raw(
            member
                .http
                .post(format!("{}/api/documents/{document}/updates", member.base))
                .header("content-type", "application/octet-stream")
                .body(update.clone()),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    // Even a document token minted with write access cannot change it.
    let token = server.rw(&document, "script");
    let res = reqwest::Client::new()
        .post(format!(
            "{}/api/documents/{document}/updates?token={token}",
            member.base
        ))
        .body(update.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    // The submitted text is what the member wrote, and the HMU reads it now.
    let (status, content) = hmu_chair
        .get(&format!("/api/documents/{document}/content"))
        .await;
    assert_eq!(status, 200, "{content}");
    assert_eq!(content["text"], "tekst fra en test ");
    // Another LMU's member (not in the HMU) still cannot.
    let (status, _) = other.get(&format!("/api/responses/{response}")).await;
    assert_eq!(status, 404);

    // The secretariat reopens it before the deadline; it is writable again.
    let (status, body) = chair
        .post(&format!("/api/responses/{response}/reopen"), &json!({}))
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, r) = secretariat
        .post(&format!("/api/responses/{response}/reopen"), &json!({}))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["status"], "draft");
    assert!(write_over_ws(&server, &member, &document).await);
    let (status, body) = member
        .send_raw(
            member
                .http
                .post(format!("{}/api/documents/{document}/updates", member.base))
                .header("content-type", "application/octet-stream")
                .body(LocalDoc::new().append("over HTTP")),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "committed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_after_the_deadline_is_accepted_and_marked_late() {
    let server = TestServer::start_with(&["--demo"]);
    let secretariat = Api::demo(server.port, SECRETARIAT).await;
    let chair = Api::demo(server.port, SBU_CHAIR).await;
    // A hearing whose LMU deadline has passed is not sent out…
    let h = create_hearing(&secretariat, "Sen høring", &["SBU", "SAU"], -1).await;
    let id = h["id"].as_i64().unwrap();
    let (status, body) = secretariat
        .post(&format!("/api/hearings/{id}/open"), &json!({}))
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["detail"].as_str().unwrap().contains("fristen"),
        "{body}"
    );
    // …but one whose deadline passes while it is out takes late responses.
    let (status, body) = secretariat
        .patch(
            &format!("/api/hearings/{id}"),
            &json!({"lmu_deadline": days_from_now(7)}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    pass_deadline(&secretariat, id, 7).await;
    let response = my_response(&chair, id, "SBU").await;
    let (status, r) = chair
        .post(&format!("/api/responses/{response}/submit"), &json!({}))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["late"], true);
    // …and the board says so.
    let (_, board) = secretariat.get(&format!("/api/hearings/{id}/board")).await;
    let sbu = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["committee"]["short_name"] == "SBU")
        .unwrap();
    assert_eq!(sbu["status"], "submitted_late");
    // A late response cannot be reopened.
    let (status, body) = secretariat
        .post(&format!("/api/responses/{response}/reopen"), &json!({}))
        .await;
    assert_eq!(status, 409, "{body}");
    // Collection may close now that the deadline has passed, though SAU never answered.
    let (status, h) = secretariat
        .post(&format!("/api/hearings/{id}/close"), &json!({}))
        .await;
    assert_eq!(status, 200, "{h}");
    assert_eq!(h["state"], "consolidating");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_closes_collection_by_itself() {
    let server = TestServer::start_with(&["--demo", "--deadline-check", "1s"]);
    let secretariat = Api::demo(server.port, SECRETARIAT).await;
    let h = create_hearing(&secretariat, "Fristen er gået", &["SBU"], 7).await;
    let id = h["id"].as_i64().unwrap();
    pass_deadline(&secretariat, id, 7).await;
    let mut state = Value::Null;
    for _ in 0..100 {
        let (_, h) = secretariat.get(&format!("/api/hearings/{id}")).await;
        state = h["state"].clone();
        if state == "consolidating" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(state, "consolidating");
    let (_, log) = secretariat.get(&format!("/api/hearings/{id}/audit")).await;
    let closed = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "hearing.closed")
        .expect("closed");
    assert_eq!(closed["detail"]["reason"], "deadline");
}

fn pdf_bytes() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

fn docx_bytes() -> Vec<u8> {
    let mut b = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
    b.extend_from_slice(b"[Content_Types].xml....PK\x03\x04word/document.xml....PK\x05\x06");
    b
}

async fn upload(api: &Api, hearing: i64, name: &str, data: Vec<u8>) -> (u16, Value) {
    let part = reqwest::multipart::Part::bytes(data).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part);
    api.send_raw(
        api.http
            .post(format!("{}/api/hearings/{hearing}/files", api.base))
            .multipart(form),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn material_uploads_are_checked_and_downloads_are_attachments() {
    let server = TestServer::start_with(&["--demo"]);
    let secretariat = Api::demo(server.port, SECRETARIAT).await;
    let member = Api::demo(server.port, SBU_MEMBER).await;
    let outsider = Api::demo(server.port, "dok.medlem1@demo.samskriv.dk").await;
    let h = create_hearing(&secretariat, "Materiale", &["SBU"], 7).await;
    let id = h["id"].as_i64().unwrap();

    let (status, f) = upload(&secretariat, id, "Høringsbrev.pdf", pdf_bytes()).await;
    assert_eq!(status, 201, "{f}");
    assert_eq!(f["name"], "Høringsbrev.pdf");
    assert_eq!(f["content_type"], "application/pdf");
    assert_eq!(f["size"], pdf_bytes().len());
    assert_eq!(f["sha256"].as_str().unwrap().len(), 64);
    let pdf_id = f["id"].as_i64().unwrap();
    let (status, f) = upload(&secretariat, id, "Plan.docx", docx_bytes()).await;
    assert_eq!(status, 201, "{f}");
    assert!(
        f["content_type"]
            .as_str()
            .unwrap()
            .contains("wordprocessingml")
    );

    // Malicious names are cut down to a plain name with the right extension.
    for (raw, clean) in [
        ("../../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\system32\\plan.pdf", "plan.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("\u{202e}fdp.exe", "fdp.pdf"),
        ("rapport.pdf.exe", "rapport.pdf.pdf"),
    ] {
        let (status, f) = upload(&secretariat, id, raw, pdf_bytes()).await;
        assert_eq!(status, 201, "{raw}: {f}");
        assert_eq!(f["name"], clean, "{raw}");
    }
    // Wrong types are refused by their bytes, whatever they are called.
    for (name, data) in [
        ("virus.pdf", b"MZ\x90\x00\x03\x00".to_vec()),
        (
            "side.docx",
            b"<html><script>alert(1)</script></html>".to_vec(),
        ),
        (
            "arkiv.docx",
            b"PK\x03\x04 a zip without a Word document".to_vec(),
        ),
    ] {
        let (status, body) = upload(&secretariat, id, name, data).await;
        assert_eq!(status, 415, "{name}: {body}");
        assert!(body["detail"].as_str().unwrap().contains("PDF"));
    }
    let (status, body) = upload(&secretariat, id, "tom.pdf", Vec::new()).await;
    assert_eq!(status, 422, "{body}");
    // Oversized: one byte over 20 MiB.
    let mut big = pdf_bytes();
    big.resize((20 << 20) + 1, b' ');
    let (status, body) = upload(&secretariat, id, "stor.pdf", big).await;
    assert_eq!(status, 413, "{body}");
    // Not a multipart body at all.
    let (status, _) = secretariat
        .post(&format!("/api/hearings/{id}/files"), &json!({"file": "x"}))
        .await;
    assert_eq!(status, 400);
    // Only the secretariat uploads.
    secretariat
        .post(&format!("/api/hearings/{id}/open"), &json!({}))
        .await;
    let (status, _) = upload(&member, id, "svar.pdf", pdf_bytes()).await;
    assert_eq!(status, 403);

    // Downloads: the exact bytes, as an attachment, with both forms of the name.
    let res = member
        .request(
            reqwest::Method::GET,
            &format!("/api/hearings/{id}/files/{pdf_id}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let disposition = h["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("UTF-8''H%C3%B8ringsbrev.pdf"),
        "{disposition}"
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf_bytes());
    // Someone whose LMU is not invited does not see the hearing or its files.
    let (status, _) = outsider
        .get(&format!("/api/hearings/{id}/files/{pdf_id}"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = member
        .get(&format!("/api/hearings/{id}/files/999999"))
        .await;
    assert_eq!(status, 404);
    // Deleting is the secretariat's, and shows in the log.
    let (status, _) = member
        .delete(&format!("/api/hearings/{id}/files/{pdf_id}"))
        .await;
    assert_eq!(status, 403);
    let (status, _) = secretariat
        .delete(&format!("/api/hearings/{id}/files/{pdf_id}"))
        .await;
    assert_eq!(status, 204);
    let (_, log) = secretariat.get(&format!("/api/hearings/{id}/audit")).await;
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "file.deleted")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_need_csrf_tokens_and_logins_are_throttled() {
    let server = TestServer::start_with(&["--demo"]);
    let anonymous = Api::anonymous(server.port);
    let (status, body) = anonymous.get("/api/hearings").await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["detail"], "du er ikke logget ind");
    assert!(body["title"].is_string() && body["status"] == 401);

    // A state-changing request with the cookie but without the CSRF token is refused.
    let mut secretariat = Api::demo(server.port, SECRETARIAT).await;
    let csrf = std::mem::take(&mut secretariat.csrf);
    let (status, body) = secretariat
        .post("/api/tokens", &json!({"name": "script"}))
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("CSRF"));
    secretariat.csrf = "forkert".into();
    let (status, _) = secretariat
        .post("/api/tokens", &json!({"name": "script"}))
        .await;
    assert_eq!(status, 403);
    secretariat.csrf = csrf;
    let (status, token) = secretariat
        .post("/api/tokens", &json!({"name": "script"}))
        .await;
    assert_eq!(status, 201, "{token}");
    let secret = token["token"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("smk_"));

    // An API token works without cookie or CSRF token, and can be revoked.
    let script = reqwest::Client::new();
    let res = script
        .get(format!("{}/api/session", secretariat.base))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["user"]["email"], SECRETARIAT);
    let (_, list) = secretariat.get("/api/tokens").await;
    assert!(list[0]["last_used_at"].is_string(), "{list}");
    assert!(
        list[0].get("token").is_none(),
        "the secret is shown once only"
    );
    let (status, _) = secretariat
        .delete(&format!("/api/tokens/{}", token["id"]))
        .await;
    assert_eq!(status, 204);
    let res = script
        .get(format!("{}/api/session", secretariat.base))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);

    // Logging out ends the session on the server.
    let (status, _) = secretariat.delete("/api/session").await;
    assert_eq!(status, 204);
    let (status, _) = secretariat.get("/api/session").await;
    assert_eq!(status, 401);

    // Five wrong passwords, then even the right one waits.
    let login = |password: &str| json!({"email": SBU_MEMBER, "password": password});
    for _ in 0..5 {
        let (status, body) = anonymous.post("/api/session", &login("forkert")).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["detail"], "forkert e-mail eller adgangskode");
    }
    let (status, body) = anonymous.post("/api/session", &login("demo1234")).await;
    assert_eq!(status, 429, "{body}");
    // An unknown e-mail gets the same answer as a wrong password.
    let (status, body) = anonymous
        .post(
            "/api/session",
            &json!({"email": "ukendt@example.org", "password": "demo1234"}),
        )
        .await;
    assert_eq!(status, 401, "{body}");
    // Malformed bodies are clear errors.
    let (status, body) = anonymous.post("/api/session", &json!({"email": 5})).await;
    assert_eq!(status, 422, "{body}");
    let res = anonymous
        .http
        .post(format!("{}/api/session", anonymous.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    let (status, body) = anonymous.get("/api/ingen-sti").await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_updates_live() {
    let server = TestServer::start_with(&["--demo"]);
    let secretariat = Api::demo(server.port, SECRETARIAT).await;
    let member = Api::demo(server.port, "sau.medlem1@demo.samskriv.dk").await;
    let chair = Api::demo(server.port, "sau.formand@demo.samskriv.dk").await;
    let res = secretariat
        .request(reqwest::Method::GET, "/api/hearings/2/board/events")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut res = res;
    let mut buffer = String::new();
    // Reads events until one whose SAU row satisfies `pred`.
    let mut next_board = async |pred: &dyn Fn(&Value) -> bool| -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            while let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data:")) {
                    let board: Value = serde_json::from_str(data.trim()).unwrap();
                    let sau = board["rows"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|r| r["committee"]["short_name"] == "SAU")
                        .unwrap()
                        .clone();
                    if pred(&sau) {
                        return sau;
                    }
                }
            }
            let chunk = tokio::time::timeout_at(deadline, res.chunk())
                .await
                .expect("a board event in time")
                .expect("stream readable")
                .expect("stream open");
            buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    let first = next_board(&|_| true).await;
    assert_eq!(first["status"], "not_started");
    assert_eq!(
        first["can_open"], false,
        "the secretariat cannot read drafts"
    );

    // A member starts writing: the board shows them editing, then the edit.
    let response = my_response(&member, 2, "SAU").await;
    let (_, r) = member.get(&format!("/api/responses/{response}")).await;
    let document = r["document_id"].as_str().unwrap().to_owned();
    let url = format!("{}/{document}?ack=1", server.ws_url());
    let origin = format!("http://127.0.0.1:{}", server.port);
    let mut ws = RawClient::connect_with(
        &url,
        &[("cookie", member.cookie_header()), ("origin", origin)],
    )
    .await
    .unwrap();
    let editing = next_board(&|r| !r["editing_now"].as_array().unwrap().is_empty()).await;
    assert_eq!(editing["editing_now"][0], "Helle Skov");
    ws.send(
        samskriv::sync::message::encode_update(&LocalDoc::new().append("SAU skriver")).to_vec(),
    )
    .await;
    ws.recv_until(Duration::from_secs(10), is_saved).await;
    let started = next_board(&|r| r["status"] == "in_progress").await;
    assert!(started["last_edit_at"].is_string());
    ws.close().await;
    next_board(&|r| r["editing_now"].as_array().unwrap().is_empty()).await;
    // The chair submits: the secretariat sees it without asking again.
    chair
        .post(&format!("/api/responses/{response}/submit"), &json!({}))
        .await;
    let submitted = next_board(&|r| r["status"] == "submitted").await;
    assert_eq!(submitted["submitted_by"]["name"], "Mads Overgaard");
    assert_eq!(submitted["can_open"], true, "now the secretariat reads it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_the_api() {
    let server = TestServer::start();
    let (status, body) = server.get("/api/openapi.json").await;
    assert_eq!(status, 200);
    let spec: Value = serde_json::from_str(&body).unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/session",
        "/api/hearings",
        "/api/hearings/{id}",
        "/api/hearings/{id}/open",
        "/api/hearings/{id}/files",
        "/api/hearings/{id}/board/events",
        "/api/responses/{id}/submit",
        "/api/documents/{document_id}/updates",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(spec["components"]["schemas"]["Hearing"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secretariat_adds_people_to_committees() {
    let server = TestServer::start_with(&["--demo"]);
    let secretariat = Api::demo(server.port, SECRETARIAT).await;
    let member = Api::demo(server.port, SBU_MEMBER).await;
    let new = json!({"name": "Ny Kollega", "email": "Ny.Kollega@Example.org", "password": "hemmelig-kode"});
    let (status, _) = member.post("/api/users", &new).await;
    assert_eq!(status, 403);
    for (field, value) in [
        ("email", json!("ikke-en-adresse")),
        ("password", json!("kort")),
        ("name", json!(" ")),
    ] {
        let mut bad = new.clone();
        bad[field] = value;
        let (status, body) = secretariat.post("/api/users", &bad).await;
        assert_eq!(status, 422, "{field}: {body}");
    }
    let (status, person) = secretariat.post("/api/users", &new).await;
    assert_eq!(status, 201, "{person}");
    assert_eq!(person["email"], "ny.kollega@example.org");
    let (status, _) = secretariat.post("/api/users", &new).await;
    assert_eq!(status, 409, "the e-mail is taken");

    // Without a committee the new person sees no hearing; as an SBU member, SBU's.
    let colleague = Api::login(server.port, "ny.kollega@example.org", "hemmelig-kode").await;
    let (_, list) = colleague.get("/api/hearings").await;
    assert!(list.as_array().unwrap().is_empty(), "{list}");
    let sbu = committee(&secretariat, "SBU").await;
    let path = format!("/api/committees/{sbu}/members/{}", person["id"]);
    let (status, _) = member
        .send_raw(
            member
                .request(reqwest::Method::PUT, &path)
                .json(&json!({"role": "member"})),
        )
        .await;
    assert_eq!(status, 403);
    let (status, body) = secretariat
        .send_raw(
            secretariat
                .request(reqwest::Method::PUT, &path)
                .json(&json!({"role": "member"})),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let response = my_response(&colleague, 2, "SBU").await;
    let (status, r) = colleague.get(&format!("/api/responses/{response}")).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["access"], "rw");
    let (_, members) = secretariat
        .get(&format!("/api/committees/{sbu}/members"))
        .await;
    assert!(
        members
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["user"]["name"] == "Ny Kollega" && m["role"] == "member")
    );
    // An open connection to the response does not outlive the membership: it is closed with
    // "reconnect", and connecting again is refused.
    let (_, r) = colleague.get(&format!("/api/responses/{response}")).await;
    let url = format!("{}/{}", server.ws_url(), r["document_id"].as_str().unwrap());
    let headers = [
        ("cookie", colleague.cookie_header()),
        ("origin", format!("http://127.0.0.1:{}", server.port)),
    ];
    let mut open = RawClient::connect_with(&url, &headers)
        .await
        .expect("handshake");
    open.recv(Duration::from_secs(5))
        .await
        .expect("sync step 1");
    let (status, _) = secretariat.delete(&path).await;
    assert_eq!(status, 204);
    assert_eq!(open.close_code(Duration::from_secs(5)).await, Some(1012));
    let mut again = RawClient::connect_with(&url, &headers)
        .await
        .expect("handshake");
    assert_eq!(again.close_code(Duration::from_secs(5)).await, Some(4403));
    let (status, _) = colleague.get(&format!("/api/responses/{response}")).await;
    assert_eq!(status, 404, "no longer in SBU");
    let (status, _) = secretariat.delete(&path).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hearing_events_tell_pages_to_read_again() {
    let server = TestServer::start_with(&["--demo"]);
    let chair = Api::demo(server.port, "formand@demo.samskriv.dk").await;
    let sau_chair = Api::demo(server.port, "sau.formand@demo.samskriv.dk").await;
    let mut events = HearingEvents::open(&chair, 2).await;
    let response = my_response(&sau_chair, 2, "SAU").await;
    let (status, _) = sau_chair
        .post(&format!("/api/responses/{response}/submit"), &json!({}))
        .await;
    assert_eq!(status, 200);
    let seen = events.until_hearing_changed().await;
    assert!(seen.contains("event: changed"), "{seen}");
    // Someone who does not see the hearing gets no stream.
    let outsider = Api::demo(server.port, "dok.medlem1@demo.samskriv.dk").await;
    let (status, _) = outsider.get("/api/hearings/3/events").await;
    assert_eq!(status, 404);
}

/// Logging out and revoking an API token end the live documents opened with them: the
/// person's open connections are closed with "reconnect", and those of the ended session or
/// token are refused when they come back; others are let in again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_out_or_revoking_a_token_closes_open_documents() {
    let server = TestServer::start_with(&["--demo"]);
    let member = Api::demo(server.port, SBU_MEMBER).await;
    let response = my_response(&member, 2, "SBU").await;
    let (status, r) = member.get(&format!("/api/responses/{response}")).await;
    assert_eq!(status, 200, "{r}");
    let url = format!("{}/{}", server.ws_url(), r["document_id"].as_str().unwrap());
    let origin = ("origin", format!("http://127.0.0.1:{}", server.port));
    let with_cookie = [("cookie", member.cookie_header()), origin.clone()];
    let (status, token) = member.post("/api/tokens", &json!({"name": "script"})).await;
    assert_eq!(status, 201, "{token}");
    let with_token = format!("{url}?token={}", token["token"].as_str().unwrap());
    let open = |url: String, headers: Vec<(&'static str, String)>| async move {
        let mut ws = RawClient::connect_with(&url, &headers)
            .await
            .expect("handshake");
        let first = ws.recv(Duration::from_secs(5)).await.expect("a message");
        (ws, first)
    };
    let step1 =
        |m: &common::Incoming| matches!(m, common::Incoming::Binary(b) if b.starts_with(&[0, 0]));

    let (mut by_cookie, first) = open(url.clone(), with_cookie.to_vec()).await;
    assert!(step1(&first), "{first:?}");
    let (mut by_token, first) = open(with_token.clone(), vec![origin.clone()]).await;
    assert!(step1(&first), "{first:?}");

    // Revoking the token: both connections reconnect; the token's is refused, the cookie's not.
    let (status, _) = member.delete(&format!("/api/tokens/{}", token["id"])).await;
    assert_eq!(status, 204);
    assert_eq!(
        by_token.close_code(Duration::from_secs(5)).await,
        Some(1012)
    );
    assert_eq!(
        by_cookie.close_code(Duration::from_secs(5)).await,
        Some(1012)
    );
    let (_, first) = open(with_token, vec![origin.clone()]).await;
    assert!(
        matches!(first, common::Incoming::Close(Some(4401))),
        "{first:?}"
    );
    let (mut by_cookie, first) = open(url.clone(), with_cookie.to_vec()).await;
    assert!(step1(&first), "{first:?}");

    // Logging out: the session's connection is closed and cannot come back.
    let (status, _) = member.delete("/api/session").await;
    assert_eq!(status, 204);
    assert_eq!(
        by_cookie.close_code(Duration::from_secs(5)).await,
        Some(1012)
    );
    let (_, first) = open(url, with_cookie.to_vec()).await;
    assert!(
        matches!(first, common::Incoming::Close(Some(4401))),
        "{first:?}"
    );
}
