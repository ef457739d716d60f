//! Follows a live document from the command line: connects like any Yjs client, syncs, and
//! prints the document's content each time it changes.
//!
//! ```sh
//! cargo run --release -- serve &                                  # a server
//! TOKEN=$(cargo run --release -- token --document demo --user Læser --read-only)
//! cargo run --example watch_document -- ws://127.0.0.1:8080/ws demo "$TOKEN"
//! ```
//! Edit `demo` with any y-websocket client (the Y.Text `text` or Tiptap's fragment `default`)
//! and watch the output follow.

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use samskriv::docs::ydoc::LiveDoc;
use samskriv::sync::message::{Message, decode_frame, encode_sync_step1};
use tokio_tungstenite::tungstenite::Message as WsMessage;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, document, token] = args.as_slice() else {
        anyhow::bail!("usage: watch_document WS_URL DOCUMENT_ID TOKEN");
    };
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("{url}/{document}?token={token}")).await?;
    let mut doc = LiveDoc::load(None, std::iter::empty()).map_err(|e| anyhow::anyhow!("{e}"))?;
    // Ask for everything: our state vector is empty.
    ws.send(WsMessage::Binary(encode_sync_step1(&[0]))).await?;
    while let Some(frame) = ws.next().await {
        let bytes: Bytes = match frame? {
            WsMessage::Binary(b) => b,
            WsMessage::Close(reason) => {
                println!("closed by the server: {reason:?}");
                break;
            }
            _ => continue,
        };
        let mut changed = false;
        for message in decode_frame(&bytes)? {
            if let Message::Update { update, parsed } = message {
                // A broadcast can overtake our sync step 2, which will contain it.
                if doc.check(&parsed).is_err() {
                    continue;
                }
                doc.apply(&update, &parsed)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                changed = true;
            }
        }
        if changed {
            let content = doc.canonical().map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string_pretty(&content)?);
        }
    }
    Ok(())
}
