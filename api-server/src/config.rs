//! Settings of the service, all from the environment with documented defaults (API-DESIGN.md,
//! “Configuration”). A bad value is a startup error naming the variable.

use crate::db::DbUrl;
use std::net::SocketAddr;
use std::path::PathBuf;
use validator_core::Date;

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/shenbao.db";
pub const DEFAULT_WEB_ROOT: &str = "./web-demo";
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
pub const DEFAULT_JSON_DEPTH: usize = 64;

#[derive(Clone, Debug)]
pub struct Config {
    /// `SHENBAO_BIND`: listen address; port 0 picks a free port (printed on stdout).
    pub bind: SocketAddr,
    /// `DATABASE_URL`: `sqlite://PATH` or `postgres://…` / `postgresql://…`.
    pub database: DbUrl,
    /// `SHENBAO_WEB_ROOT`: directory served at `/` (the demo portal and widget).
    pub web_root: PathBuf,
    /// `SHENBAO_BODY_LIMIT`: maximum request body in bytes (413 above).
    pub body_limit: usize,
    /// `SHENBAO_JSON_DEPTH`: maximum nesting of a JSON body (400 above).
    pub json_depth: usize,
    /// `SHENBAO_DB_POOL`: connections of the read pool.
    pub db_pool: u32,
    /// `SHENBAO_WORKERS`: HTTP worker threads (default: number of CPUs).
    pub workers: Option<usize>,
    /// `SHENBAO_WRITE_QUEUE`: writes waiting for the writer before requests get 503.
    pub write_queue: usize,
    /// `SHENBAO_BUSY_TIMEOUT_MS`: SQLite busy timeout.
    pub busy_timeout_ms: u32,
    /// `SHENBAO_SCHEMA_CHECK`: run the JSON Schema second check (`on`/`off`).
    pub schema_check: bool,
    /// `SHENBAO_SCHEMA_QUEUE`: filings waiting for the second check before checks are skipped.
    pub schema_queue: usize,
    /// `SHENBAO_MAX_IN_FLIGHT`: API requests with a body (POST, PUT) handled at once; more are
    /// shed with 503 and `Retry-After` (load shedding under overload).
    pub max_in_flight: usize,
    /// `SHENBAO_TODAY`: fixed Beijing date for final filings (tests and drills only).
    pub today: Option<Date>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|e| format!("{name}={v:?}: {e}")),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let bind_s = var("SHENBAO_BIND").unwrap_or_else(|| DEFAULT_BIND.to_string());
        let bind = bind_s.trim().parse().map_err(|e| {
            format!("SHENBAO_BIND={bind_s:?}: {e} (expected HOST:PORT, e.g. {DEFAULT_BIND})")
        })?;
        let body_limit: usize = parse("SHENBAO_BODY_LIMIT", DEFAULT_BODY_LIMIT)?;
        if body_limit < 1024 {
            return Err(format!(
                "SHENBAO_BODY_LIMIT={body_limit}: must be at least 1024 bytes"
            ));
        }
        let json_depth: usize = parse("SHENBAO_JSON_DEPTH", DEFAULT_JSON_DEPTH)?;
        if !(2..=128).contains(&json_depth) {
            return Err(format!(
                "SHENBAO_JSON_DEPTH={json_depth}: must be between 2 and 128"
            ));
        }
        let db_pool: u32 = parse("SHENBAO_DB_POOL", 8)?;
        if db_pool == 0 {
            return Err("SHENBAO_DB_POOL=0: must be at least 1".into());
        }
        let workers = match var("SHENBAO_WORKERS") {
            None => None,
            Some(v) => match v.trim().parse::<usize>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    return Err(format!(
                        "SHENBAO_WORKERS={v:?}: expected a positive integer"
                    ))
                }
            },
        };
        let write_queue: usize = parse("SHENBAO_WRITE_QUEUE", 1024)?;
        if write_queue == 0 {
            return Err("SHENBAO_WRITE_QUEUE=0: must be at least 1".into());
        }
        let schema_check = match var("SHENBAO_SCHEMA_CHECK").as_deref().map(str::trim) {
            None | Some("on") | Some("1") | Some("true") => true,
            Some("off") | Some("0") | Some("false") => false,
            Some(v) => return Err(format!("SHENBAO_SCHEMA_CHECK={v:?}: expected on or off")),
        };
        let schema_queue: usize = parse("SHENBAO_SCHEMA_QUEUE", 1024)?;
        let max_in_flight: usize = parse("SHENBAO_MAX_IN_FLIGHT", 256)?;
        if max_in_flight == 0 {
            return Err("SHENBAO_MAX_IN_FLIGHT=0: must be at least 1".into());
        }
        if schema_queue == 0 {
            return Err("SHENBAO_SCHEMA_QUEUE=0: must be at least 1".into());
        }
        let today = match var("SHENBAO_TODAY") {
            None => None,
            Some(v) => Some(
                Date::parse(v.trim())
                    .ok_or_else(|| format!("SHENBAO_TODAY={v:?}: expected YYYY-MM-DD"))?,
            ),
        };
        Ok(Config {
            bind,
            database: database_from_env()?,
            web_root: PathBuf::from(
                var("SHENBAO_WEB_ROOT").unwrap_or_else(|| DEFAULT_WEB_ROOT.to_string()),
            ),
            body_limit,
            json_depth,
            db_pool,
            workers,
            write_queue,
            busy_timeout_ms: parse("SHENBAO_BUSY_TIMEOUT_MS", 5000)?,
            schema_check,
            schema_queue,
            max_in_flight,
            today,
        })
    }
}

/// `DATABASE_URL` (or its default), parsed; the subcommands that only need the database use this.
pub fn database_from_env() -> Result<DbUrl, String> {
    let url = var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
    DbUrl::parse(url.trim()).map_err(|e| format!("DATABASE_URL: {e}"))
}
