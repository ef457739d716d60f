//! Several server processes on one PostgreSQL database: each listens for the others' commits
//! and presence, and hands them to its open rooms. A room that hears of updates reads them from
//! the table by sequence number; after the listening connection drops (notifications may have
//! been missed), every open room catches up.

use std::time::Duration;

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use tokio_util::sync::CancellationToken;

use super::{Hub, RoomMsg};
use crate::store::notify::{
    AWARENESS_CHANNEL, UPDATES_CHANNEL, parse_awareness_payload, parse_update_payload,
};
use crate::sync::message::{Message, decode_frame};

/// Connects the listener (so that nothing committed after this returns is missed), then
/// listens until `shutdown` in a task of the hub's, reconnecting by itself.
pub async fn start(hub: Hub, url: String, shutdown: CancellationToken) -> Result<(), sqlx::Error> {
    let origin = hub.shared.store.origin().to_owned();
    let first = connect(&url, &origin).await?;
    hub.clone().spawn(listen(hub, url, origin, first, shutdown));
    Ok(())
}

async fn connect(url: &str, origin: &str) -> Result<PgListener, sqlx::Error> {
    // Named like the pool's connections, so operators can tell processes apart.
    let options = PgConnectOptions::from_str(url)?.application_name(&format!("samskriv-{origin}"));
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with(options);
    let mut l = PgListener::connect_with(&pool).await?;
    l.listen_all([UPDATES_CHANNEL, AWARENESS_CHANNEL]).await?;
    Ok(l)
}

async fn listen(
    hub: Hub,
    url: String,
    origin: String,
    first: PgListener,
    shutdown: CancellationToken,
) {
    let mut next_listener = Some(first);
    tracing::debug!("listening for other processes");
    loop {
        let mut listener = match next_listener.take() {
            Some(l) => l,
            None => {
                let connected = tokio::select! {
                    _ = shutdown.cancelled() => return,
                    l = connect(&url, &origin) => l,
                };
                match connected {
                    Ok(l) => {
                        tracing::info!("listening for other processes again");
                        // Whatever was committed while we were not listening.
                        hub.catch_up_all();
                        l
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for other processes; retrying");
                        tokio::select! {
                            _ = shutdown.cancelled() => return,
                            _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                        }
                    }
                }
            }
        };
        loop {
            let next = tokio::select! {
                _ = shutdown.cancelled() => {
                    tracing::debug!("listener stops");
                    return;
                }
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
    tracing::trace!(channel, payload, "notification");
    hub.shared.metrics.remote_notifications.inc();
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
