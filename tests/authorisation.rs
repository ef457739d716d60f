//! The authorisation matrix: role × hearing state × document kind × path, every cell asserted
//! against the real server.
//!
//! The expected answers are written here from the rules of shared/design.md §2 (who may do
//! what), independently of the server's policy code. Paths: reading a document over HTTP,
//! writing one over HTTP, reading over the WebSocket, writing over the WebSocket, and
//! downloading the hearing's material.

mod common;

use std::time::Duration;

use common::{Api, Incoming, LocalDoc, RawClient, TestServer, days_from_now, is_saved};
use samskriv::auth::Access;
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Secretariat,
    HmuChair,
    /// In the HMU, from an LMU that is not invited.
    HmuMember,
    /// SBU's chair (also an HMU member, as the demo's LMU chairs are).
    SbuChair,
    SbuMember,
    /// A member of SAU, another invited LMU.
    SauMember,
    /// A member of DOK: neither invited nor in the HMU.
    Outsider,
    Anonymous,
    /// A signed document token with write access (`samskriv token`).
    DocumentToken,
}

const ROLES: [Role; 9] = [
    Role::Secretariat,
    Role::HmuChair,
    Role::HmuMember,
    Role::SbuChair,
    Role::SbuMember,
    Role::SauMember,
    Role::Outsider,
    Role::Anonymous,
    Role::DocumentToken,
];

impl Role {
    fn email(self) -> Option<&'static str> {
        Some(match self {
            Role::Secretariat => "sekretariat@demo.samskriv.dk",
            Role::HmuChair => "formand@demo.samskriv.dk",
            Role::HmuMember => "dok.formand@demo.samskriv.dk",
            Role::SbuChair => "sbu.formand@demo.samskriv.dk",
            Role::SbuMember => "sbu.medlem1@demo.samskriv.dk",
            Role::SauMember => "sau.medlem1@demo.samskriv.dk",
            Role::Outsider => "dok.medlem1@demo.samskriv.dk",
            Role::Anonymous | Role::DocumentToken => return None,
        })
    }

    fn in_hmu(self) -> bool {
        matches!(self, Role::HmuChair | Role::HmuMember | Role::SbuChair)
    }

    fn in_sbu(self) -> bool {
        matches!(self, Role::SbuChair | Role::SbuMember)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Draft,
    Collecting,
    Consolidating,
    InReview,
    Approved,
    Frozen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// SBU's response; the test's SBU people are its LMU.
    SbuResponse,
    /// SAU's response, always a draft.
    SauResponse,
    /// The HMU's joint response.
    Joint,
}

const KINDS: [Kind; 3] = [Kind::SbuResponse, Kind::SauResponse, Kind::Joint];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathKind {
    HttpRead,
    HttpWrite,
    WsRead,
    WsWrite,
    FileDownload,
}

const PATHS: [PathKind; 5] = [
    PathKind::HttpRead,
    PathKind::HttpWrite,
    PathKind::WsRead,
    PathKind::WsWrite,
    PathKind::FileDownload,
];

/// One hearing of the matrix: its state and whether SBU has submitted.
#[derive(Debug, Clone, Copy)]
struct Case {
    state: State,
    sbu_submitted: bool,
}

/// Whether `role` sees the hearing (its page and material).
fn sees_hearing(role: Role, state: State) -> bool {
    match role {
        Role::Secretariat => true,
        _ if state == State::Draft => false,
        Role::HmuChair | Role::HmuMember | Role::SbuChair | Role::SbuMember | Role::SauMember => {
            true
        }
        Role::Outsider | Role::Anonymous | Role::DocumentToken => false,
    }
}

/// The rules of design.md §2, per document: (may read, may write).
fn expected_document(role: Role, case: Case, kind: Kind) -> (bool, bool) {
    if case.state == State::Draft {
        // No documents exist before the hearing is sent out.
        return (false, false);
    }
    let takes_responses = matches!(case.state, State::Collecting | State::Consolidating);
    let joint_editable = matches!(
        case.state,
        State::Consolidating | State::InReview | State::Approved
    );
    let joint_shared = matches!(
        case.state,
        State::InReview | State::Approved | State::Frozen
    );
    match (kind, role) {
        // A document token opens its document; the document's state limits it.
        (Kind::SbuResponse, Role::DocumentToken) => (true, takes_responses && !case.sbu_submitted),
        (Kind::SauResponse, Role::DocumentToken) => (true, takes_responses),
        (Kind::Joint, Role::DocumentToken) => (true, joint_editable),
        // The LMU writes its own draft, and reads it afterwards.
        (Kind::SbuResponse, r) if r.in_sbu() => (true, takes_responses && !case.sbu_submitted),
        (Kind::SauResponse, Role::SauMember) => (true, takes_responses),
        // Once submitted, the HMU and the secretariat read it; before, nobody outside the LMU.
        (Kind::SbuResponse, r) => (
            case.sbu_submitted && (r.in_hmu() || r == Role::Secretariat),
            false,
        ),
        (Kind::SauResponse, _) => (false, false),
        // The chairs write the joint response from consolidation until it is frozen, and read it
        // from the start.
        (Kind::Joint, Role::HmuChair) => (true, joint_editable),
        // Shared for review: the HMU and the secretariat read it.
        (Kind::Joint, r) if joint_shared && (r.in_hmu() || r == Role::Secretariat) => (true, false),
        // Frozen: everyone in the hearing reads the final response.
        (Kind::Joint, r) if case.state == State::Frozen && sees_hearing(r, case.state) => {
            (true, false)
        }
        (Kind::Joint, _) => (false, false),
    }
}

fn expected(role: Role, case: Case, kind: Kind, path: PathKind) -> bool {
    let (read, write) = expected_document(role, case, kind);
    match path {
        PathKind::HttpRead | PathKind::WsRead => read,
        PathKind::HttpWrite | PathKind::WsWrite => write,
        PathKind::FileDownload => sees_hearing(role, case.state),
    }
}

/// A hearing in the case's state, with one PDF of material. Returns (hearing, file, documents
/// by kind).
async fn build(
    secretariat: &Api,
    sbu_chair: &Api,
    chairs: Option<(&Api, &Api)>,
    committees: &Value,
    case: Case,
) -> (i64, i64, Vec<(Kind, String)>) {
    let id_of = |short: &str| {
        committees
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["short_name"] == short)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    // A passed deadline lets collection close while SAU has not answered.
    let lmu_days = 7;
    let (status, h) = secretariat
        .post(
            "/api/hearings",
            &json!({
                "committee_id": id_of("HMU"), "title": format!("{case:?}"), "issuing_body": "Test",
                "lmu_deadline": days_from_now(lmu_days), "hmu_deadline": days_from_now(14),
                "invited": [id_of("SBU"), id_of("SAU")],
            }),
        )
        .await;
    assert_eq!(status, 201, "{h}");
    let id = h["id"].as_i64().unwrap();
    let part =
        reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec()).file_name("bilag.pdf");
    let (status, f) = secretariat
        .send_raw(
            secretariat
                .http
                .post(format!("{}/api/hearings/{id}/files", secretariat.base))
                .multipart(reqwest::multipart::Form::new().part("file", part)),
        )
        .await;
    assert_eq!(status, 201, "{f}");
    let file = f["id"].as_i64().unwrap();
    let documents = vec![
        (Kind::SbuResponse, format!("h{id}-lmu{}", id_of("SBU"))),
        (Kind::SauResponse, format!("h{id}-lmu{}", id_of("SAU"))),
        (Kind::Joint, format!("h{id}-hmu")),
    ];
    if case.state == State::Draft {
        return (id, file, documents);
    }
    let (status, h) = secretariat
        .post(&format!("/api/hearings/{id}/open"), &json!({}))
        .await;
    assert_eq!(status, 200, "{h}");
    assert_eq!(h["joint_document_id"], documents[2].1);
    if case.sbu_submitted {
        let (_, list) = sbu_chair.get("/api/hearings").await;
        let response = list
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap()["my_responses"][0]["id"]
            .as_i64()
            .unwrap();
        let (status, r) = sbu_chair
            .post(&format!("/api/responses/{response}/submit"), &json!({}))
            .await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["document_id"], documents[0].1);
    }
    if case.state == State::Collecting {
        return (id, file, documents);
    }
    // The deadline passes while SAU has not answered, so collection may close.
    let (status, h) = secretariat
        .patch(
            &format!("/api/hearings/{id}"),
            &json!({"lmu_deadline": days_from_now(-1)}),
        )
        .await;
    assert_eq!(status, 200, "{h}");
    let (status, h) = secretariat
        .post(&format!("/api/hearings/{id}/close"), &json!({}))
        .await;
    assert_eq!(status, 200, "{h}");
    if case.state == State::Consolidating {
        return (id, file, documents);
    }
    let chairs = chairs.expect("the chairs");
    advance(id, case.state, chairs).await;
    (id, file, documents)
}

/// From consolidation to `state`: written, shared, approved by both chairs, frozen.
async fn advance(id: i64, state: State, chairs: (&Api, &Api)) {
    // The chairs write a first paragraph (an empty response is not shared).
    let update = {
        use yrs::Transact;
        let doc = yrs::Doc::new();
        let mut txn = doc.transact_mut();
        let blocks = samskriv::model::Blocks {
            blocks: vec![samskriv::model::Block::plain(
                samskriv::model::BlockKind::Paragraph,
                "HMU's fælles høringssvar.",
            )],
        };
        samskriv::model::write::insert_blocks(&mut txn, 0, &blocks).unwrap();
        txn.encode_update_v1()
    };
    let (status, body) = chairs
        .0
        .send_raw(
            chairs
                .0
                .request(
                    reqwest::Method::POST,
                    &format!("/api/documents/h{id}-hmu/updates"),
                )
                .header("content-type", "application/octet-stream")
                .body(update),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, shared) = chairs
        .0
        .post(&format!("/api/hearings/{id}/share"), &json!({}))
        .await;
    assert_eq!(status, 201, "{shared}");
    if state == State::InReview {
        return;
    }
    for chair in [chairs.0, chairs.1] {
        let (status, body) = chair
            .post(
                &format!("/api/hearings/{id}/approve"),
                &json!({"version_id": shared["version_id"]}),
            )
            .await;
        assert_eq!(status, 204, "{body}");
    }
    if state == State::Approved {
        return;
    }
    let (status, frozen) = chairs
        .0
        .post(&format!("/api/hearings/{id}/freeze"), &json!({}))
        .await;
    assert_eq!(status, 201, "{frozen}");
}

/// Waits until the hearing is in review again (an edit voided its approval), then shares and
/// approves it again, so the next cell finds it approved.
async fn reapprove(id: i64, chairs: (&Api, &Api)) {
    for _ in 0..100 {
        let (_, h) = chairs.0.get(&format!("/api/hearings/{id}")).await;
        if h["state"] == "in_review" {
            return advance(id, State::Approved, chairs).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the edit did not void the approval of hearing {id}");
}

struct Caller<'a> {
    role: Role,
    api: Option<&'a Api>,
    server: &'a TestServer,
}

impl Caller<'_> {
    fn token_query(&self, document: &str) -> String {
        match self.role {
            Role::DocumentToken => format!(
                "?token={}",
                self.server.token(document, "script", Access::ReadWrite)
            ),
            _ => String::new(),
        }
    }

    fn http(&self) -> reqwest::Client {
        self.api.map(|a| a.http.clone()).unwrap_or_default()
    }

    fn csrf(&self) -> String {
        self.api.map(|a| a.csrf.clone()).unwrap_or_default()
    }

    async fn http_read(&self, document: &str) -> bool {
        let url = format!(
            "{}/api/documents/{document}/content{}",
            self.server.http_url(""),
            self.token_query(document)
        );
        let status = self.http().get(url).send().await.unwrap().status().as_u16();
        assert!(
            matches!(status, 200 | 401 | 403),
            "read {document}: {status}"
        );
        status == 200
    }

    async fn http_write(&self, document: &str) -> bool {
        let url = format!(
            "{}/api/documents/{document}/updates{}",
            self.server.http_url(""),
            self.token_query(document)
        );
        let res = self
            .http()
            .post(url)
            .header("x-csrf-token", self.csrf())
            .header("content-type", "application/octet-stream")
            .body(LocalDoc::new().append("http "))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        assert!(
            matches!(status, 200 | 401 | 403 | 409),
            "write {document}: {status} {}",
            res.text().await.unwrap_or_default()
        );
        status == 200
    }

    async fn connect(&self, document: &str) -> Option<RawClient> {
        let mut query = self.token_query(document);
        query.push_str(if query.is_empty() { "?ack=1" } else { "&ack=1" });
        let url = format!("{}/{document}{query}", self.server.ws_url());
        let mut headers = vec![("origin", format!("http://127.0.0.1:{}", self.server.port))];
        if let Some(api) = self.api {
            headers.push(("cookie", api.cookie_header()));
        }
        let mut ws = RawClient::connect_with(&url, &headers).await.ok()?;
        // Admitted: the server's sync step 1 comes first. Refused: a 44xx close.
        match ws.recv(Duration::from_secs(10)).await {
            Some(Incoming::Binary(b)) if b.starts_with(&[0, 0]) => Some(ws),
            Some(Incoming::Close(Some(code))) if (4400..4500).contains(&code) => None,
            other => panic!("{document}: unexpected {other:?}"),
        }
    }

    async fn ws_read(&self, document: &str) -> bool {
        match self.connect(document).await {
            Some(ws) => {
                ws.close().await;
                true
            }
            None => false,
        }
    }

    async fn ws_write(&self, document: &str) -> bool {
        let Some(mut ws) = self.connect(document).await else {
            return false;
        };
        let update = LocalDoc::new().append("ws ");
        ws.send(samskriv::sync::message::encode_update(&update).to_vec())
            .await;
        let reply = ws
            .recv_until(Duration::from_secs(10), |f| {
                is_saved(f) || f.first() == Some(&2)
            })
            .await;
        ws.close().await;
        is_saved(&reply)
    }

    async fn download(&self, hearing: i64, file: i64) -> bool {
        let url = self
            .server
            .http_url(&format!("/api/hearings/{hearing}/files/{file}"));
        let status = self.http().get(url).send().await.unwrap().status().as_u16();
        assert!(matches!(status, 200 | 401 | 404), "download: {status}");
        status == 200
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_state_kind_and_path() {
    let server = TestServer::start_with(&["--demo"]);
    let mut apis = Vec::new();
    for role in ROLES {
        if let Some(email) = role.email() {
            apis.push((role, Api::demo(server.port, email).await));
        }
    }
    let api = |role: Role| apis.iter().find(|(r, _)| *r == role).map(|(_, a)| a);
    let secretariat = api(Role::Secretariat).unwrap();
    let (_, committees) = secretariat.get("/api/committees").await;
    let cases: Vec<Case> = [
        (State::Draft, false),
        (State::Collecting, false),
        (State::Collecting, true),
        (State::Consolidating, false),
        (State::Consolidating, true),
        (State::InReview, false),
        (State::InReview, true),
        (State::Approved, false),
        (State::Approved, true),
        (State::Frozen, false),
        (State::Frozen, true),
    ]
    .into_iter()
    .map(|(state, sbu_submitted)| Case {
        state,
        sbu_submitted,
    })
    .collect();
    let mut failures = Vec::new();
    let mut cells = 0;
    let mut allowed = 0;
    let vice = Some(Api::demo(server.port, "naestformand@demo.samskriv.dk").await);
    for &case in &cases {
        let chairs = (api(Role::HmuChair).unwrap(), vice.as_ref().unwrap());
        let (hearing, file, documents) = build(
            secretariat,
            api(Role::SbuChair).unwrap(),
            Some(chairs),
            &committees,
            case,
        )
        .await;
        for role in ROLES {
            let caller = Caller {
                role,
                api: api(role),
                server: &server,
            };
            for kind in KINDS {
                let document = &documents.iter().find(|(k, _)| *k == kind).unwrap().1;
                for path in PATHS {
                    if path == PathKind::FileDownload && kind != Kind::SbuResponse {
                        // The material belongs to the hearing: one cell per role and case.
                        continue;
                    }
                    let actual = match path {
                        PathKind::HttpRead => caller.http_read(document).await,
                        PathKind::HttpWrite => caller.http_write(document).await,
                        PathKind::WsRead => caller.ws_read(document).await,
                        PathKind::WsWrite => caller.ws_write(document).await,
                        PathKind::FileDownload => caller.download(hearing, file).await,
                    };
                    let want = expected(role, case, kind, path);
                    // A write to the approved joint response voids the approval (as it must):
                    // approve it again for the next cell.
                    let wrote = matches!(path, PathKind::HttpWrite | PathKind::WsWrite) && actual;
                    if wrote && kind == Kind::Joint && case.state == State::Approved {
                        reapprove(hearing, chairs).await;
                    }
                    cells += 1;
                    allowed += usize::from(want);
                    if actual != want {
                        failures.push(format!(
                            "{case:?} {role:?} {kind:?} {path:?}: allowed={actual}, expected {want}"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cells wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // 11 cases × 9 roles × (3 kinds × 4 document paths + 1 download)
    assert_eq!(cells, cases.len() * 9 * 13);
    assert_eq!(cases.len(), 11);
    assert!(
        allowed > 60 && allowed < cells - 100,
        "{allowed} of {cells} allowed"
    );
}
