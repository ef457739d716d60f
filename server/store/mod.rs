//! All SQL, through sqlx's `Any` driver: SQLite (one file, WAL) by default, PostgreSQL for
//! several server processes. The queries are written once for both (`$n` placeholders, BIGINT,
//! BLOB/BYTEA as bytes, times as epoch milliseconds); the schemas live in migrations/<backend>.
//!
//! SQLite runs with `journal_mode=WAL` and `synchronous=FULL`: a transaction is on disk (the WAL
//! is fsynced) when its commit returns, so a committed update survives a crash of the process and
//! a loss of power. Commits are grouped by [`committer`] so that fsyncs stay few.

pub mod audit;
pub mod committer;
pub mod documents;
pub mod hearings;
pub mod meetings;
pub mod notify;
pub mod people;
pub mod records;
pub mod review;
pub mod sessions;
pub mod versions;

use std::sync::Arc;
use std::time::Duration;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, Executor};

pub use documents::{CatchUp, NewUpdate, StoredDocument};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (expected sqlite:… or postgres:…): {0}")]
    UnsupportedUrl(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// Every SQLite connection's settings: WAL, a commit is on disk when it returns, a writer waits
/// its turn instead of failing, foreign keys are enforced.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";

/// The storage handle shared by the whole process.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// This server process, as recorded with every update it commits.
    origin: Arc<str>,
    /// The SQLite database file (not for an in-memory database), for the group committer's own
    /// connection.
    sqlite_file: Option<std::path::PathBuf>,
}

impl Store {
    /// Opens (and, for SQLite, creates) the database named by `url`. `origin` names this process.
    pub async fn connect(url: &str, origin: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend =
            Backend::of_url(url).ok_or_else(|| StoreError::UnsupportedUrl(redact(url)))?;
        let connect_url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_owned(),
        };
        let sqlite_file = match backend {
            Backend::Sqlite => {
                let options: sqlx::sqlite::SqliteConnectOptions = connect_url.parse()?;
                let file = options.get_filename();
                // sqlx names an in-memory database ":memory:" or "file:sqlx-in-memory-…".
                let in_memory = connect_url.contains("mode=memory")
                    || file
                        .to_str()
                        .is_some_and(|f| f.starts_with(':') || f.starts_with("file:"));
                (!in_memory).then(|| file.to_owned())
            }
            Backend::Postgres => None,
        };
        let app_name = format!("samskriv-{origin}");
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 8,
            })
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn: &mut AnyConnection, _| {
                let app_name = app_name.clone();
                Box::pin(async move {
                    match backend {
                        Backend::Sqlite => {
                            conn.execute(SQLITE_PRAGMAS).await?;
                        }
                        Backend::Postgres => {
                            sqlx::query("SELECT set_config('application_name', $1, false)")
                                .bind(app_name)
                                .execute(&mut *conn)
                                .await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(&connect_url)
            .await?;
        Ok(Self {
            pool,
            backend,
            origin: origin.into(),
            sqlite_file,
        })
    }

    /// A connection of its own to the SQLite database file, with the pool's settings, for a
    /// thread that writes without sqlx (the group committer). `None` on PostgreSQL and for an
    /// in-memory database, which a second connection would not share.
    pub(crate) fn open_sqlite_writer(&self) -> Option<Result<rusqlite::Connection, StoreError>> {
        let file = self.sqlite_file.as_ref()?;
        Some((|| {
            let conn = rusqlite::Connection::open(file)?;
            conn.execute_batch(SQLITE_PRAGMAS)?;
            Ok(conn)
        })())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// Closes every connection; SQLite checkpoints its WAL when the last one closes.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later fails with
    /// "database is locked" whenever another connection committed in between (the group
    /// committer does, all the time), instead of waiting its turn.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Starts a transaction that sees one snapshot of the database for all its reads.
    async fn begin_consistent_read(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            // Read committed would let a compaction slip between two reads.
            tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .await?;
        }
        Ok(tx)
    }
}

/// Database URLs may carry passwords: keep the scheme and what follows the `@`.
pub fn redact(url: &str) -> String {
    match url.split_once('@') {
        Some((_, rest)) => format!("{}://…@{rest}", url.split(':').next().unwrap_or("")),
        None => url.to_owned(),
    }
}

pub(crate) fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
