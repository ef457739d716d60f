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
                let demo = samskriv::demo::seed(server.round()).await?;
                // Whoever started us may have stopped reading: printing must not stop the server.
                use std::io::Write;
                let mut out = std::io::stdout().lock();
                let created = if demo.created {
                    "created"
                } else {
                    "already there"
                };
                let _ = writeln!(
                    out,
                    "demo ({created}): HMU Socialområdet with three hearings — \"{}\" (all LMUs \
                     have answered: the chairs consolidate), \"{}\" (the LMUs are writing) and \
                     \"{}\" (a draft) — and the HMU meeting of 25 September 2023",
                    samskriv::demo::HEARING_TITLE,
                    samskriv::demo::OPEN_HEARING_TITLE,
                    samskriv::demo::DRAFT_HEARING_TITLE,
                );
                let _ = writeln!(
                    out,
                    "open http://{addr}/ and log in with password {} as:",
                    samskriv::demo::PASSWORD
                );
                for line in samskriv::demo::logins() {
                    let _ = writeln!(out, "{line}");
                }
                let _ = out.flush();
            }
            tokio::spawn(signal_shutdown(shutdown));
            server.run(listener).await
        }
        Command::User(args) => add_user(args).await,
        Command::Verify(args) => verify_record(args).await,
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

/// `samskriv user`: creates a user (or sets an existing user's password), reading the password
/// from `SAMSKRIV_PASSWORD` or the first line of standard input.
async fn add_user(args: samskriv::config::UserArgs) -> anyhow::Result<()> {
    let email = args.email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 320 {
        anyhow::bail!("--email must be an e-mail address");
    }
    if args.name.trim().is_empty() {
        anyhow::bail!("--name must not be empty");
    }
    let password = match std::env::var("SAMSKRIV_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("reading the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    if password.chars().count() < samskriv::auth::password::MIN_LENGTH {
        anyhow::bail!(
            "the password must be at least {} characters",
            samskriv::auth::password::MIN_LENGTH
        );
    }
    let hash = samskriv::auth::password::hash(&password).map_err(anyhow::Error::msg)?;
    let store = samskriv::open_store(&args.storage).await?;
    let result = match store
        .create_user(args.name.trim(), &email, &hash, args.secretariat)
        .await?
    {
        Some(id) => {
            println!(
                "created user {id} <{email}>{}",
                if args.secretariat {
                    " (secretariat)"
                } else {
                    ""
                }
            );
            Ok(())
        }
        None if args.reset_password => {
            let user = store
                .user_by_email(&email)
                .await?
                .context("the user vanished")?;
            store.set_password(user.id, &hash).await?;
            println!("password of <{email}> changed");
            Ok(())
        }
        None => Err(anyhow::anyhow!(
            "a user with e-mail {email} exists (add --reset-password to change the password)"
        )),
    };
    store.close().await;
    result
}

/// `samskriv verify`: checks a frozen record's HTML (stored, or a file) against its SHA-256.
async fn verify_record(args: samskriv::config::VerifyArgs) -> anyhow::Result<()> {
    let store = samskriv::open_store(&args.storage).await?;
    let record = store.record(args.record).await;
    store.close().await;
    let record = record?.with_context(|| format!("record {} does not exist", args.record))?;
    let result = match &args.file {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let actual = samskriv::export::html::sha256_hex(&bytes);
            if actual == record.sha256 {
                Ok(())
            } else {
                Err(format!(
                    "the file's SHA-256 is {actual}; the record's is {}",
                    record.sha256
                ))
            }
        }
        None => samskriv::workflow::review::verify(&record.html, &record.blocks, &record.sha256),
    };
    match result {
        Ok(()) => {
            println!(
                "record {} verified: SHA-256 {} ({})",
                record.id, record.sha256, record.form
            );
            Ok(())
        }
        Err(why) => anyhow::bail!("record {} does NOT verify: {why}", record.id),
    }
}
