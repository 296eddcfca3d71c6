//! `api-server migrate`: applies the pending embedded migrations of `DATABASE_URL`'s backend.

use crate::cli::common::{out, Failure};
use crate::cli::Exit;
use crate::db::{self, ConnOptions};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Exit {
    let url = match crate::config::database_from_env() {
        Ok(u) => u,
        Err(e) => {
            Failure::bare(e).print();
            return Exit::Input;
        }
    };
    let applied = db::establish(&url, ConnOptions::default()).and_then(|mut c| db::migrate(&mut c));
    match applied {
        Ok(list) if list.is_empty() => {
            out(format!("{}: up to date", url.redacted()));
            Exit::Ok
        }
        Ok(list) => {
            for m in list {
                out(format!("applied {m}"));
            }
            Exit::Ok
        }
        Err(e) => {
            Failure::new(url.redacted(), e).print();
            Exit::Input
        }
    }
}
