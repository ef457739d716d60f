//! Command line and environment. Every flag can also be given as an environment variable.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "samskriv",
    version,
    about = "Samskriv: MED-udvalgenes fælles høringssvar"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the server.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(StorageArgs),
    /// Print a signed access token for one live document.
    Token(TokenArgs),
    /// Create a user, e.g. the first secretariat user (password from SAMSKRIV_PASSWORD or stdin).
    User(UserArgs),
    /// Check a frozen record against its SHA-256 (exits non-zero if it does not match).
    Verify(VerifyArgs),
}

#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// The record's id.
    #[arg(long)]
    pub record: i64,
    /// A copy of the record's canonical HTML to check instead of the stored one (e.g. one
    /// downloaded as `?format=html` from the record's canonical form).
    #[arg(long)]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct UserArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// The login e-mail.
    #[arg(long)]
    pub email: String,
    /// The name shown to others.
    #[arg(long)]
    pub name: String,
    /// The user belongs to the secretariat (creates and runs hearings).
    #[arg(long)]
    pub secretariat: bool,
    /// If the user exists, set the password instead of failing.
    #[arg(long)]
    pub reset_password: bool,
}

#[derive(Debug, Clone, Args)]
pub struct StorageArgs {
    /// Directory for the SQLite database and the token key.
    #[arg(long, env = "SAMSKRIV_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Database URL; defaults to the SQLite file `<data-dir>/samskriv.db`.
    #[arg(long, env = "SAMSKRIV_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Secret that signs access tokens; defaults to a random key kept in `<data-dir>/token.key`.
    #[arg(long, env = "SAMSKRIV_TOKEN_SECRET", hide_env_values = true)]
    pub token_secret: Option<String>,
}

impl StorageArgs {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("samskriv.db").display()))
    }
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// Seed demo data into an empty database (HMU Socialområdet, its LMUs, users, an open
    /// hearing) and print how to log in.
    #[arg(long, env = "SAMSKRIV_DEMO")]
    pub demo: bool,
    /// A name for this process, recorded with its updates and in PostgreSQL's
    /// `application_name` (default: random).
    #[arg(long, env = "SAMSKRIV_INSTANCE_NAME")]
    pub instance_name: Option<String>,
    /// The built browser app (`npm run build` in web/ puts it in web/dist).
    #[arg(long, env = "SAMSKRIV_WEB_DIR", default_value = "web/dist")]
    pub web_dir: PathBuf,
    /// How often hearings are checked for passed LMU deadlines.
    #[arg(long, env = "SAMSKRIV_DEADLINE_CHECK", default_value = "30s", value_parser = humantime::parse_duration)]
    pub deadline_check: Duration,
    /// Address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, env = "SAMSKRIV_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Largest WebSocket frame in bytes.
    #[arg(long, env = "SAMSKRIV_MAX_FRAME_BYTES", default_value_t = 8 << 20)]
    pub max_frame_bytes: usize,
    /// Largest document (snapshot plus update log) in bytes.
    #[arg(long, env = "SAMSKRIV_MAX_DOCUMENT_BYTES", default_value_t = 64 << 20)]
    pub max_document_bytes: usize,
    /// Frames queued for one connection before it is closed as too slow.
    #[arg(long, env = "SAMSKRIV_SEND_QUEUE", default_value_t = 4096)]
    pub send_queue: usize,
    /// How long an unused document stays in memory (e.g. 30s).
    #[arg(long, env = "SAMSKRIV_UNLOAD_GRACE", default_value = "30s", value_parser = humantime::parse_duration)]
    pub unload_grace: Duration,
    /// Updates in a document's log before it is folded into a snapshot (the log must also hold
    /// half as many bytes as the snapshot).
    #[arg(long, env = "SAMSKRIV_COMPACT_AFTER", default_value_t = 1000)]
    pub compact_after: usize,
    /// A connection that sends nothing for this long is closed.
    #[arg(long, env = "SAMSKRIV_IDLE_TIMEOUT", default_value = "60s", value_parser = humantime::parse_duration)]
    pub idle_timeout: Duration,
    /// How often idle clients are asked for their presence (keeps them connected).
    #[arg(long, env = "SAMSKRIV_AWARENESS_INTERVAL", default_value = "10s", value_parser = humantime::parse_duration)]
    pub awareness_interval: Duration,
}

#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// The document the token opens.
    #[arg(long, env = "SAMSKRIV_TOKEN_DOCUMENT")]
    pub document: String,
    /// The user the token names.
    #[arg(long, env = "SAMSKRIV_TOKEN_USER")]
    pub user: String,
    /// Read-only access (default: read and write).
    #[arg(long, env = "SAMSKRIV_TOKEN_READ_ONLY")]
    pub read_only: bool,
    /// How long the token is valid (e.g. 12h, 30m, 7days).
    #[arg(long, env = "SAMSKRIV_TOKEN_TTL", default_value = "12h", value_parser = humantime::parse_duration)]
    pub ttl: Duration,
}
