//! `api-server serve` (also what `api-server` alone runs): the intake service.

use crate::cli::common::{self, Failure};
use crate::cli::Exit;
use crate::config::Config;
use validator_core::Validator;

#[derive(Debug, Default, clap::Args)]
#[command(
    after_help = "Settings come from the environment (API-DESIGN.md, “Configuration”): SHENBAO_BIND, DATABASE_URL, \
SHENBAO_WEB_ROOT, SHENBAO_BODY_LIMIT, SHENBAO_JSON_DEPTH, SHENBAO_LOG, SHENBAO_LOG_FORMAT, SHENBAO_CALENDAR_DIR, …"
)]
pub struct Args {}

pub fn run(_args: Args) -> Exit {
    crate::logging::init();
    let cfg = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            Failure::bare(e).print();
            return Exit::Input;
        }
    };
    let validator = match common::load_calendar(&[]) {
        Ok(c) => Validator::new(c),
        Err(f) => {
            f.print();
            return Exit::Input;
        }
    };
    match crate::server::serve(cfg, validator) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            tracing::error!(error = %e, "the service stopped");
            Failure::bare(e).print();
            Exit::Input
        }
    }
}
