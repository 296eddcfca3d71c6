//! `api-server`: the shenbao command line (validate, checklist, calendar, forms) and the intake
//! service (`serve`, the default; `migrate`, `token`, `revalidate`). The command-line subcommands
//! live under `cli/`, the service's under `commands/`, the service itself under `server/` and
//! `db/` (see API-DESIGN.md).

mod agreement;
mod auth;
mod cli;
mod commands;
mod config;
mod db;
mod logging;
mod metrics;
mod openapi;
mod server;
mod util;

fn main() -> std::process::ExitCode {
    cli::run()
}
