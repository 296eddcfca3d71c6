//! Persistence with diesel on SQLite or PostgreSQL, one codebase (`DbConnection` is a
//! `diesel::MultiConnection`). The backend is chosen explicitly from the URL scheme and each
//! connection is established as that backend — never by trial (a SQLite connection accepts any
//! string as a file name).
//!
//! The common subset of both backends is used: `Integer`, `BigInt`, `Text`; booleans are stored
//! as 0/1, JSON as text, identifiers are made in Rust (no `RETURNING`, no sequences).

pub mod models;
pub mod schema;
pub mod store;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::path::PathBuf;

pub use store::{Store, StoreError};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(diesel::SqliteConnection),
    Pg(diesel::PgConnection),
}

/// A parsed `DATABASE_URL`.
#[derive(Clone, PartialEq, Eq)]
pub enum DbUrl {
    /// `sqlite://PATH` (relative or absolute: `sqlite://./data/x.db`, `sqlite:///var/lib/x.db`).
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`, passed to libpq as is.
    Postgres(String),
}

impl std::fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.redacted())
    }
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<DbUrl, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("sqlite:// needs a file path, e.g. sqlite://./data/shenbao.db".into());
            }
            if path.starts_with(":memory:") || path.starts_with("file:") {
                return Err(format!(
                    "{url:?}: only a file path is supported after sqlite://"
                ));
            }
            return Ok(DbUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbUrl::Postgres(url.to_string()));
        }
        let scheme = url.split_once("://").map_or("(none)", |(s, _)| s);
        Err(format!(
            "unsupported database URL scheme {scheme:?}: use sqlite://PATH or postgres://USER@HOST/DB"
        ))
    }

    /// The backend's name, for logs and `/readyz`.
    pub fn backend(&self) -> &'static str {
        match self {
            DbUrl::Sqlite(_) => "sqlite",
            DbUrl::Postgres(_) => "postgres",
        }
    }

    /// The URL without a password, for logs.
    pub fn redacted(&self) -> String {
        match self {
            DbUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DbUrl::Postgres(u) => match (u.find("://"), u.rfind('@')) {
                (Some(s), Some(at)) if at > s => {
                    let creds = &u[s + 3..at];
                    let user = creds.split(':').next().unwrap_or("");
                    format!("{}{}{}", &u[..s + 3], user, &u[at..])
                }
                _ => u.clone(),
            },
        }
    }
}

/// Per-connection settings.
#[derive(Clone, Copy, Debug)]
pub struct ConnOptions {
    pub busy_timeout_ms: u32,
}

impl Default for ConnOptions {
    fn default() -> Self {
        ConnOptions {
            busy_timeout_ms: 5000,
        }
    }
}

/// The statements run on every new SQLite connection, each on its own: a combined
/// `PRAGMA a; PRAGMA b` string would silently run only the first.
pub fn sqlite_pragmas(o: ConnOptions) -> Vec<String> {
    vec![
        format!("PRAGMA busy_timeout = {}", o.busy_timeout_ms),
        "PRAGMA journal_mode = WAL".into(),
        // FULL: a commit is acknowledged only after the WAL is fsynced (durable acknowledgement).
        "PRAGMA synchronous = FULL".into(),
        "PRAGMA foreign_keys = ON".into(),
    ]
}

/// Opens one connection of the backend the URL names and applies its settings.
pub fn establish(url: &DbUrl, o: ConnOptions) -> Result<DbConnection, String> {
    match url {
        DbUrl::Sqlite(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            let p = path
                .to_str()
                .ok_or_else(|| format!("{}: not a UTF-8 path", path.display()))?;
            let mut c = diesel::SqliteConnection::establish(p)
                .map_err(|e| format!("{}: {e}", url.redacted()))?;
            for stmt in sqlite_pragmas(o) {
                c.batch_execute(&stmt).map_err(|e| format!("{stmt}: {e}"))?;
            }
            Ok(DbConnection::Sqlite(c))
        }
        DbUrl::Postgres(u) => {
            let mut c = diesel::PgConnection::establish(u)
                .map_err(|e| format!("{}: {e}", url.redacted()))?;
            c.batch_execute("SET synchronous_commit = on")
                .map_err(|e| format!("synchronous_commit: {e}"))?;
            Ok(DbConnection::Pg(c))
        }
    }
}

/// Applies the pending embedded migrations of the connection's backend; returns their names.
pub fn migrate(conn: &mut DbConnection) -> Result<Vec<String>, String> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| format!("migration failed: {e}"))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// r2d2 manager that establishes connections of one explicit backend.
pub struct Manager {
    pub url: DbUrl,
    pub options: ConnOptions,
}

#[derive(Debug)]
pub struct ManagerError(pub String);

impl std::fmt::Display for ManagerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ManagerError {}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = ManagerError;

    fn connect(&self) -> Result<DbConnection, ManagerError> {
        establish(&self.url, self.options).map_err(ManagerError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ManagerError> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| ManagerError(e.to_string()))
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<Manager>;

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::sql_types::{BigInt, Text};

    #[test]
    fn urls_select_the_backend_by_scheme() {
        assert_eq!(
            DbUrl::parse("sqlite://./data/x.db"),
            Ok(DbUrl::Sqlite("./data/x.db".into()))
        );
        assert_eq!(
            DbUrl::parse("sqlite:///tmp/x.db"),
            Ok(DbUrl::Sqlite("/tmp/x.db".into()))
        );
        assert!(matches!(
            DbUrl::parse("postgres://u@h/db"),
            Ok(DbUrl::Postgres(_))
        ));
        assert!(matches!(
            DbUrl::parse("postgresql://u@h/db"),
            Ok(DbUrl::Postgres(_))
        ));
        for bad in ["mysql://x", "./data/x.db", "sqlite://", "sqlite:x.db", ""] {
            assert!(DbUrl::parse(bad).is_err(), "{bad}");
        }
        let u = DbUrl::parse("postgres://user:secret@host:5432/db").unwrap();
        assert_eq!(u.redacted(), "postgres://user@host:5432/db");
    }

    #[derive(QueryableByName)]
    struct Num {
        #[diesel(sql_type = BigInt)]
        v: i64,
    }

    #[derive(QueryableByName)]
    struct Txt {
        #[diesel(sql_type = Text)]
        v: String,
    }

    #[test]
    fn every_sqlite_pragma_is_in_effect_on_a_new_connection() {
        let dir = std::env::temp_dir().join(format!(
            "shenbao-db-test-{}",
            crate::util::new_id_at(crate::util::now_ms())
        ));
        let url = DbUrl::Sqlite(dir.join("t.db"));
        let mut conn = establish(
            &url,
            ConnOptions {
                busy_timeout_ms: 4321,
            },
        )
        .unwrap();
        let DbConnection::Sqlite(c) = &mut conn else {
            panic!("sqlite")
        };
        let num = |c: &mut diesel::SqliteConnection, q: &str| {
            diesel::sql_query(q).get_result::<Num>(c).unwrap().v
        };
        assert_eq!(num(c, "SELECT timeout AS v FROM pragma_busy_timeout"), 4321);
        assert_eq!(
            num(c, "SELECT synchronous AS v FROM pragma_synchronous"),
            2,
            "FULL"
        );
        assert_eq!(
            num(c, "SELECT foreign_keys AS v FROM pragma_foreign_keys"),
            1
        );
        let mode = diesel::sql_query("SELECT journal_mode AS v FROM pragma_journal_mode")
            .get_result::<Txt>(c)
            .unwrap()
            .v;
        assert_eq!(mode, "wal");
        let applied = migrate(&mut conn).unwrap();
        assert_eq!(applied.len(), 1);
        assert!(
            migrate(&mut conn).unwrap().is_empty(),
            "migrations are applied once"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
