//! Samskriv: the committees of a Danish MED system draft hearing responses together.

pub mod auth;
pub mod config;
pub mod danish_time;
pub mod demo;
pub mod demo_texts;
pub mod docs;
pub mod domain;
pub mod error;
pub mod export;
pub mod http;
pub mod ids;
pub mod metrics;
pub mod model;
pub mod store;
pub mod sync;
pub mod workflow;

use std::sync::Arc;

use anyhow::Context;
use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::auth::TokenKey;
use crate::config::{ServeArgs, StorageArgs};
use crate::docs::{Hub, Limits};
use crate::http::{AppState, WsLimits};
use crate::metrics::Metrics;
use crate::store::Store;
use crate::store::committer::Committer;

pub use crate::http::router as app;

/// A random name for this server process, recorded with every update it commits.
pub fn process_origin() -> String {
    let mut raw = [0u8; 8];
    let _ = getrandom::fill(&mut raw);
    raw.iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens the database named by the arguments and brings its schema up to date.
pub async fn open_store(storage: &StorageArgs) -> anyhow::Result<Store> {
    open_store_as(storage, &process_origin()).await
}

async fn open_store_as(storage: &StorageArgs, origin: &str) -> anyhow::Result<Store> {
    if storage.database_url.is_none() {
        std::fs::create_dir_all(&storage.data_dir).with_context(|| {
            format!(
                "cannot create data directory {}",
                storage.data_dir.display()
            )
        })?;
    }
    let url = storage.database_url();
    let store = Store::connect(&url, origin)
        .await
        .with_context(|| "cannot open the database".to_string())?;
    store.migrate().await.context("database migration failed")?;
    Ok(store)
}

/// The token key from the arguments: the given secret, or the key file in the data directory.
pub fn token_key(storage: &StorageArgs) -> anyhow::Result<TokenKey> {
    match &storage.token_secret {
        Some(secret) if secret.is_empty() => anyhow::bail!("--token-secret must not be empty"),
        Some(secret) => Ok(TokenKey::from_secret(secret)),
        None => TokenKey::load_or_create(&storage.data_dir).with_context(|| {
            format!(
                "cannot read or create {}/token.key",
                storage.data_dir.display()
            )
        }),
    }
}

/// A server whose storage is open and migrated, ready to serve.
pub struct Server {
    state: Arc<AppState>,
    hub: Hub,
    store: Store,
    commit_task: tokio::task::JoinHandle<()>,
    shutdown: CancellationToken,
}

/// Opens storage and builds everything the server needs; fails before anything listens.
pub async fn build(args: &ServeArgs, shutdown: CancellationToken) -> anyhow::Result<Server> {
    let origin = match &args.instance_name {
        Some(name)
            if name.is_empty()
                || name.len() > 64
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            anyhow::bail!("--instance-name must be 1–64 letters, digits, '-' or '_'")
        }
        Some(name) => name.clone(),
        None => process_origin(),
    };
    let store = open_store_as(&args.storage, &origin).await?;
    let tokens = token_key(&args.storage)?;
    let metrics = Metrics::new();
    let (committer, commit_task) = Committer::start(store.clone(), metrics.clone())
        .context("cannot open the database for writing")?;
    let limits = Limits {
        max_document_bytes: args.max_document_bytes,
        send_queue: args.send_queue.max(1),
        unload_grace: args.unload_grace,
        compact_after: args.compact_after.max(1),
        awareness_query_interval: args
            .awareness_interval
            .max(std::time::Duration::from_millis(100)),
    };
    let hub = Hub::new(
        store.clone(),
        committer,
        limits,
        metrics.clone(),
        shutdown.clone(),
    );
    if store.backend() == store::Backend::Postgres {
        // Updates and presence from the other processes on the same database.
        docs::cluster::start(hub.clone(), args.storage.database_url(), shutdown.clone())
            .await
            .context("cannot listen for notifications from other processes")?;
    }
    let round = workflow::Round {
        store: store.clone(),
        hub: hub.clone(),
    };
    hub.spawn(round.clone().watch_approvals(shutdown.clone()));
    hub.spawn(round.clone().sweep_deadlines(
        args.deadline_check.max(std::time::Duration::from_secs(1)),
        shutdown.clone(),
    ));
    let state = Arc::new(AppState {
        hub: hub.clone(),
        store: store.clone(),
        round,
        web_dir: args.web_dir.clone(),
        tokens,
        metrics,
        ws: WsLimits {
            max_frame_bytes: args.max_frame_bytes,
            idle_timeout: args.idle_timeout,
        },
        shutdown: shutdown.clone(),
    });
    Ok(Server {
        state,
        hub,
        store,
        commit_task,
        shutdown,
    })
}

impl Server {
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn tokens(&self) -> &TokenKey {
        &self.state.tokens
    }

    pub fn round(&self) -> &workflow::Round {
        &self.state.round
    }

    /// Serves on `listener` until the shutdown token is cancelled; then stops taking
    /// connections, lets every document commit what it accepted, closes the sockets with "going
    /// away" and closes storage.
    pub async fn run(self, listener: TcpListener) -> anyhow::Result<()> {
        let Server {
            state,
            hub,
            store,
            commit_task,
            shutdown,
        } = self;
        // Small frames go out at once: with Nagle's algorithm a frame written while an earlier
        // one is unacknowledged waits for the client's delayed ACK (up to 40 ms).
        let listener = listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY");
            }
        });
        // As a make-service, the router is prepared once and shared: served as a plain Router,
        // axum deep-copies its whole route table for every connection (18 KiB in small pieces,
        // found with valgrind massif), which fragments the heap that live connections hold.
        axum::serve(listener, app(state).into_make_service())
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await
            .context("server failed")?;
        hub.drained().await;
        drop(hub);
        let _ = commit_task.await;
        store.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// [`build`] and [`Server::run`] in one.
pub async fn serve(
    args: ServeArgs,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    build(&args, shutdown).await?.run(listener).await
}
