//! The service's subcommands: `serve` (the default), `migrate`, `token`, `revalidate`.
//! Each has an `Args` (clap derive) and `run(args) -> cli::Exit`, like the modules of `cli/`.

pub mod migrate;
pub mod revalidate;
pub mod serve;
pub mod token;

use crate::cli::common::Failure;
use crate::db::{self, ConnOptions, DbConnection};

/// A migrated connection to `DATABASE_URL`, for the maintenance subcommands.
pub fn connect() -> Result<DbConnection, Failure> {
    let url = crate::config::database_from_env().map_err(Failure::bare)?;
    let mut conn =
        db::establish(&url, ConnOptions::default()).map_err(|e| Failure::new("DATABASE_URL", e))?;
    for m in db::migrate(&mut conn).map_err(Failure::bare)? {
        eprintln!("applied migration {m}");
    }
    Ok(conn)
}
