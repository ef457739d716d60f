//! The `samskriv` binary: parse the command line, start logging, and run one subcommand.

use anyhow::Context;
use clap::Parser;
use samskriv::auth::{Access, Claims, now_secs};
use samskriv::config::{Cli, Command};
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("SAMSKRIV_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve(args) => {
            let shutdown = CancellationToken::new();
            let server = samskriv::build(&args, shutdown.clone()).await?;
            let listener = tokio::net::TcpListener::bind(&args.listen)
                .await
                .with_context(|| format!("cannot listen on {}", args.listen))?;
            let addr = listener.local_addr()?;
            // Tests and scripts read this line to find a port chosen by the system.
            println!("samskriv listening on http://{addr}");
            tracing::info!(%addr, database = %samskriv::store::redact(&args.storage.database_url()), "listening");
            if args.demo {
                let id = samskriv::demo::seed(server.store()).await?;
                let token = server.tokens().mint(&Claims {
                    doc: id.to_string(),
                    user: "Demo".into(),
                    mode: Access::ReadWrite,
                    exp: now_secs() + 12 * 3600,
                });
                println!("demo document {id}: connect a y-websocket client to");
                println!("  ws://{addr}/ws  room {id}  params {{ token: '{token}' }}");
                println!(
                    "or follow it: cargo run --example watch_document -- ws://{addr}/ws {id} {token}"
                );
            }
            tokio::spawn(signal_shutdown(shutdown));
            server.run(listener).await
        }
        Command::Migrate(storage) => {
            samskriv::open_store(&storage).await?.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Token(args) => {
            if samskriv::ids::DocumentId::parse(&args.document).is_none() {
                anyhow::bail!(
                    "invalid document id {:?}: use letters, digits, '.', '_' and '-' (1–128)",
                    args.document
                );
            }
            if args.user.trim().is_empty() {
                anyhow::bail!("--user must not be empty");
            }
            let key = samskriv::token_key(&args.storage)?;
            let claims = Claims {
                doc: args.document,
                user: args.user,
                mode: if args.read_only {
                    Access::ReadOnly
                } else {
                    Access::ReadWrite
                },
                exp: now_secs().saturating_add(args.ttl.as_secs()),
            };
            println!("{}", key.mint(&claims));
            Ok(())
        }
    }
}

/// Ctrl-C or SIGTERM cancels `token`.
async fn signal_shutdown(token: CancellationToken) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutting down: committing pending updates and closing connections");
    token.cancel();
}
