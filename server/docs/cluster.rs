//! Several server processes on one PostgreSQL database: each listens for the others' commits
//! and presence, and hands them to its open rooms. A room that hears of updates reads them from
//! the table by sequence number; after the listening connection drops (notifications may have
//! been missed), every open room catches up.

use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio_util::sync::CancellationToken;

use super::{Hub, RoomMsg};
use crate::store::notify::{
    AWARENESS_CHANNEL, UPDATES_CHANNEL, parse_awareness_payload, parse_update_payload,
};
use crate::sync::message::{Message, decode_frame};

/// Listens until `shutdown`; reconnects by itself.
pub async fn listen(hub: Hub, url: String, shutdown: CancellationToken) {
    let origin = hub.shared.store.origin().to_owned();
    loop {
        let listener = async {
            let mut l = PgListener::connect(&url).await?;
            l.listen_all([UPDATES_CHANNEL, AWARENESS_CHANNEL]).await?;
            Ok::<_, sqlx::Error>(l)
        };
        let mut listener = tokio::select! {
            _ = shutdown.cancelled() => return,
            l = listener => match l {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for other processes; retrying");
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                    }
                }
            },
        };
        tracing::info!("listening for updates from other processes");
        // Whatever was committed while we were not listening.
        hub.catch_up_all();
        loop {
            let next = tokio::select! {
                _ = shutdown.cancelled() => return,
                n = listener.try_recv() => n,
            };
            match next {
                Ok(Some(n)) => dispatch(&hub, &origin, n.channel(), n.payload()),
                Ok(None) => {
                    tracing::warn!(
                        "lost the notification connection; reconnecting and catching up"
                    );
                    hub.catch_up_all();
                }
                Err(e) => {
                    tracing::warn!(error = %e, "notification connection failed; reconnecting");
                    break;
                }
            }
        }
    }
}

fn dispatch(hub: &Hub, origin: &str, channel: &str, payload: &str) {
    match channel {
        UPDATES_CHANNEL => {
            if let Some((id, seq, from)) = parse_update_payload(payload)
                && from != origin
            {
                hub.tell_open_room(&id, RoomMsg::Remote { seq });
            }
        }
        AWARENESS_CHANNEL => {
            let Some((id, from, message)) = parse_awareness_payload(payload) else {
                return;
            };
            if from == origin {
                return;
            }
            if let Ok(messages) = decode_frame(&message.into()) {
                for m in messages {
                    if let Message::Awareness(entries) = m {
                        hub.tell_open_room(&id, RoomMsg::RemoteAwareness { entries });
                    }
                }
            }
        }
        _ => {}
    }
}
