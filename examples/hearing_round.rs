//! The seed scenario, run against a running server through its HTTP API and real WebSocket
//! clients: the secretariat sends the Visions- og Udviklingsplan into hearing, the nine LMUs
//! write their responses live and their chairs submit them, the HMU chairs consolidate them into
//! a joint response with provenance, the members review it, the chairs approve it and freeze it,
//! and the secretariat files it with the minutes of 25 September 2023.
//!
//! Start a server with the demo data, then run the example against it:
//!
//! ```sh
//! ./scripts/serve.sh                                   # or: cargo run --release -- serve --demo
//! cargo run --example hearing_round -- http://127.0.0.1:8080
//! ```
//!
//! It prints where to see the result. Each run makes a hearing of its own.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use futures_util::{SinkExt, StreamExt};
use reqwest::cookie::{CookieStore, Jar};
use samskriv::model::Blocks;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, Transact, Update};

const PASSWORD: &str = "demo1234";
const DOMAIN: &str = "demo.samskriv.dk";

/// One person's session.
struct Session {
    base: String,
    http: reqwest::Client,
    jar: Arc<Jar>,
    csrf: String,
    name: String,
}

impl Session {
    async fn login(base: &str, email: &str) -> Result<Self> {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .build()?;
        let res = http
            .post(format!("{base}/api/session"))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .with_context(|| format!("cannot reach {base}: is the server running?"))?;
        if !res.status().is_success() {
            bail!(
                "logging in as {email} failed ({}): start the server with --demo",
                res.status()
            );
        }
        let body: Value = res.json().await?;
        Ok(Self {
            base: base.to_owned(),
            http,
            jar,
            csrf: body["csrf_token"].as_str().unwrap_or_default().to_owned(),
            name: body["user"]["name"].as_str().unwrap_or_default().to_owned(),
        })
    }

    async fn send(&self, req: reqwest::RequestBuilder, what: &str) -> Result<Value> {
        let res = req.header("x-csrf-token", &self.csrf).send().await?;
        let status = res.status();
        let text = res.text().await?;
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        if !status.is_success() {
            bail!(
                "{what}: {status}: {}",
                value["detail"].as_str().unwrap_or("")
            );
        }
        Ok(value)
    }

    async fn get(&self, path: &str) -> Result<Value> {
        self.send(self.http.get(format!("{}{path}", self.base)), path)
            .await
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value> {
        self.send(
            self.http.post(format!("{}{path}", self.base)).json(&body),
            path,
        )
        .await
    }

    async fn put(&self, path: &str, body: Value) -> Result<Value> {
        self.send(
            self.http.put(format!("{}{path}", self.base)).json(&body),
            path,
        )
        .await
    }

    fn cookie(&self) -> String {
        let url: reqwest::Url = self.base.parse().expect("base URL");
        self.jar
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Writes `blocks` into a live document as this person's editor would: over the WebSocket,
    /// after syncing, waiting until the server says the edit is saved.
    async fn write(&self, document: &str, blocks: &Blocks, at_end: bool) -> Result<()> {
        let ws_base = self.base.replacen("http", "ws", 1);
        let mut req = format!("{ws_base}/ws/{document}?ack=1").into_client_request()?;
        req.headers_mut().insert("cookie", self.cookie().parse()?);
        req.headers_mut().insert("origin", self.base.parse()?);
        let (mut ws, _) = tokio_tungstenite::connect_async(req).await?;
        let doc = yrs::Doc::new();
        ws.send(Message::Binary(
            samskriv::sync::message::encode_sync_step1(&[0])
                .to_vec()
                .into(),
        ))
        .await?;
        // The server's sync step 2: [0, 1, varbuf(update)].
        loop {
            let frame = next_binary(&mut ws).await?;
            if frame.starts_with(&[0, 1]) {
                let mut r = &frame[2..];
                let len = read_var(&mut r) as usize;
                let update = Update::decode_v1(&r[..len])?;
                doc.transact_mut().apply_update(update)?;
                break;
            }
        }
        let before = doc.transact().state_vector();
        {
            let mut txn = doc.transact_mut();
            let index = if at_end {
                txn.get_xml_fragment("default")
                    .map(|f| yrs::XmlFragment::len(&f, &txn))
                    .unwrap_or(0)
            } else {
                0
            };
            samskriv::model::write::insert_blocks(&mut txn, index, blocks)?;
        }
        let update = doc.transact().encode_state_as_update_v1(&before);
        ws.send(Message::Binary(
            samskriv::sync::message::encode_update(&update)
                .to_vec()
                .into(),
        ))
        .await?;
        loop {
            let frame = next_binary(&mut ws).await?;
            match frame.first() {
                Some(100) => break,
                Some(2) => bail!("{} may not write {document}", self.name),
                _ => {}
            }
        }
        ws.close(None).await?;
        Ok(())
    }
}

async fn next_binary<S>(ws: &mut S) -> Result<Vec<u8>>
where
    S: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        let next = tokio::time::timeout(Duration::from_secs(15), ws.next())
            .await
            .context("the server did not answer")?;
        match next {
            Some(Ok(Message::Binary(b))) => return Ok(b.to_vec()),
            Some(Ok(Message::Close(f))) => bail!("the server closed the connection: {f:?}"),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(e.into()),
            None => bail!("the connection ended"),
        }
    }
}

fn read_var(r: &mut &[u8]) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    while let Some((&b, rest)) = r.split_first() {
        *r = rest;
        n |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    n
}

fn rfc3339_in(days: u64) -> String {
    let t = std::time::SystemTime::now() + Duration::from_secs(days * 86400);
    humantime::format_rfc3339_millis(t).to_string()
}

#[tokio::main]
async fn main() -> Result<()> {
    let base = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".into())
        .trim_end_matches('/')
        .to_owned();
    let secretariat = Session::login(&base, &format!("sekretariat@{DOMAIN}")).await?;
    let chair = Session::login(&base, &format!("formand@{DOMAIN}")).await?;
    let vice = Session::login(&base, &format!("naestformand@{DOMAIN}")).await?;

    // 1. The secretariat sends the plan into hearing with every LMU.
    let committees = secretariat.get("/api/committees").await?;
    let committees = committees.as_array().context("committees")?;
    let hmu = committees
        .iter()
        .find(|c| c["kind"] == "main")
        .context("no main committee: start the server with --demo")?["id"]
        .clone();
    let lmus: Vec<Value> = committees
        .iter()
        .filter(|c| c["kind"] == "local")
        .cloned()
        .collect();
    let hearing = secretariat
        .post(
            "/api/hearings",
            json!({
                "committee_id": hmu,
                "title": "Visions- og Udviklingsplan for Socialområdet (eksempel)",
                "issuing_body": "Socialdirektionen, Socialområdet",
                "description": "Udkast til Visions- og Udviklingsplan for Socialområdet i høring i LMU'erne.",
                "lmu_deadline": rfc3339_in(14),
                "hmu_deadline": rfc3339_in(28),
                "invited": lmus.iter().map(|l| l["id"].clone()).collect::<Vec<_>>(),
            }),
        )
        .await?;
    let id = hearing["id"].as_i64().context("hearing id")?;
    secretariat
        .post(&format!("/api/hearings/{id}/open"), json!({}))
        .await?;
    println!(
        "1. Høringen er sendt ud til {} LMU'er (høring {id}).",
        lmus.len()
    );

    // 2. Each LMU writes its response live; its chair submits it.
    for (short, _, prefix, _) in samskriv::demo::LMUS {
        let member = Session::login(&base, &format!("{prefix}.medlem1@{DOMAIN}")).await?;
        let lmu_chair = Session::login(&base, &format!("{prefix}.formand@{DOMAIN}")).await?;
        let list = member.get("/api/hearings").await?;
        let response = list
            .as_array()
            .and_then(|l| l.iter().find(|h| h["id"] == id))
            .and_then(|h| h["my_responses"].get(0))
            .context("the LMU's response")?["id"]
            .as_i64()
            .context("response id")?;
        let r = member.get(&format!("/api/responses/{response}")).await?;
        let document = r["document_id"].as_str().context("document")?;
        let text = samskriv::demo_texts::lmu_response(short).context("demo text")?;
        member.write(document, &text, false).await?;
        lmu_chair
            .post(&format!("/api/responses/{response}/submit"), json!({}))
            .await?;
        println!(
            "2. LMU {short}: {} har skrevet, {} har indsendt.",
            member.name, lmu_chair.name
        );
    }
    let h = chair.get(&format!("/api/hearings/{id}")).await?;
    println!(
        "   Alle har svaret; høringen er nu «{}».",
        h["state"].as_str().unwrap_or("")
    );

    // 3. The chairs consolidate: their draft, and passages taken with their provenance.
    let workspace = chair
        .get(&format!("/api/hearings/{id}/consolidation"))
        .await?;
    let joint = workspace["joint_document_id"]
        .as_str()
        .context("joint document")?
        .to_owned();
    chair
        .write(&joint, &samskriv::demo_texts::joint_draft(), false)
        .await?;
    let responses = workspace["responses"].as_array().context("responses")?;
    for r in responses.iter().take(3) {
        // The LMU's first list item, if it has one: a concrete point.
        let block = r["blocks"]["blocks"]
            .as_array()
            .and_then(|b| b.iter().position(|b| b["type"] == "list_item"));
        if let Some(block) = block {
            chair
                .post(
                    &format!("/api/hearings/{id}/passages"),
                    json!({"response_id": r["response_id"], "blocks": [block], "after_block": 10_000}),
                )
                .await?;
        }
    }
    let report = chair.get(&format!("/api/hearings/{id}/provenance")).await?;
    println!("3. Formandskabet har samlet et fælles svar. Proveniens:");
    for c in report["report"]["committees"]
        .as_array()
        .into_iter()
        .flatten()
    {
        println!("     {}", c["text"].as_str().unwrap_or(""));
    }

    // 4. Shared with the HMU; a member takes a position and comments; the chair resolves it.
    let shared = chair
        .post(&format!("/api/hearings/{id}/share"), json!({}))
        .await?;
    let version = shared["version_id"].clone();
    let member = Session::login(&base, &format!("sbu.formand@{DOMAIN}")).await?;
    let review = member.get(&format!("/api/hearings/{id}/review")).await?;
    if let Some(change) = review["changes"].get(1) {
        member
            .post(
                &format!("/api/hearings/{id}/positions"),
                json!({"version_id": version, "change_key": change["key"], "position": "agree"}),
            )
            .await?;
    }
    let comment = member
        .post(
            &format!("/api/hearings/{id}/comments"),
            json!({"version_id": version, "quote": "", "body": "Kan vi nævne 18-årsovergangen?"}),
        )
        .await?;
    chair
        .post(
            &format!("/api/hearings/{id}/comments/{}/resolve", comment["id"]),
            json!({"resolution": "Indarbejdet efter mødet."}),
        )
        .await?;
    println!(
        "4. Udkastet er delt; {} har taget stilling og kommenteret.",
        member.name
    );

    // 5. The chairs approve and freeze it.
    for c in [&chair, &vice] {
        c.post(
            &format!("/api/hearings/{id}/approve"),
            json!({"version_id": version}),
        )
        .await?;
    }
    let frozen = chair
        .post(&format!("/api/hearings/{id}/freeze"), json!({}))
        .await?;
    let record = frozen["record_id"].as_i64().context("record")?;
    let check = member.get(&format!("/api/records/{record}/verify")).await?;
    println!(
        "5. Godkendt af formandskabet og gjort endeligt: SHA-256 {} (kontrol: {}).",
        check["sha256"].as_str().unwrap_or(""),
        if check["ok"] == true { "ok" } else { "FEJL" }
    );

    // 6. The secretariat files it with the minutes of 25 September 2023.
    let meetings = secretariat.get("/api/meetings").await?;
    let meeting = match meetings
        .as_array()
        .and_then(|m| m.iter().find(|m| m["date"] == "2023-09-25"))
    {
        Some(m) => m["id"].as_i64().context("meeting")?,
        None => secretariat
            .post(
                "/api/meetings",
                json!({"date": "2023-09-25", "start_time": "14:00", "end_time": "15:00",
                       "place": "Virtuelt møde, alle ringer til", "initials": "/MELAR1"}),
            )
            .await?["id"]
            .as_i64()
            .context("meeting")?,
    };
    let m = secretariat.get(&format!("/api/meetings/{meeting}")).await?;
    let item = match m["items"]
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|i| i["title"].as_str().unwrap_or("").contains("høringssvar til Visions"))
        }) {
        Some(i) => i.clone(),
        None => {
            secretariat
                .post(
                    &format!("/api/meetings/{meeting}/items"),
                    json!({"title": "Drøftelse af HMU formandskabets udkast til høringssvar til Visions- og Udviklingsplanen",
                           "time_start": "14:05", "time_end": "14:30", "case_number": "1-30-73-60-23",
                           "recommendation": ["drøfter HMU-formandskabets udkast til høringssvar til Visions- og Udviklingsplan for Socialområdet"]}),
                )
                .await?
        }
    };
    let already = item["attachments"]
        .as_array()
        .is_some_and(|a| !a.is_empty());
    if already {
        println!("6. Punktet har allerede et høringssvar som bilag; dette arkiveres ikke igen.");
    } else {
        secretariat
            .post(
                &format!("/api/records/{record}/file"),
                json!({"agenda_item_id": item["id"]}),
            )
            .await?;
        let mut body = item.clone();
        for key in ["id", "number", "attachments"] {
            body.as_object_mut().map(|o| o.remove(key));
        }
        body["decision"] = json!(
            "Der var bred opbakning til det vedlagte forslag til et høringssvar fra HMU vedr. \
             visions- og udviklingsplanen."
        );
        secretariat
            .put(&format!("/api/agenda-items/{}", item["id"]), body)
            .await?;
        println!(
            "6. Arkiveret som bilag til punkt {} i referatet af 25. september 2023, med de {} LMU-svar som underbilag.",
            item["number"],
            responses.len()
        );
    }

    println!();
    println!("Se resultatet (log ind med adgangskoden {PASSWORD}):");
    println!("  det endelige høringssvar:  {base}/poster/{record}");
    println!("  mødet og dets bilag:       {base}/moeder/{meeting}");
    println!(
        "  referatet som PDF:         {base}/api/meetings/{meeting}/document?kind=minutes&format=pdf"
    );
    println!("  høringen:                  {base}/hoeringer/{id}");
    Ok(())
}
