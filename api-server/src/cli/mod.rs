//! Command-line parsing and dispatch. Every subcommand is a module with an `Args` struct
//! (clap derive) and a `run(args) -> Exit` function; add new subcommands to [`Command`].
//!
//! Exit status, shared by all subcommands (`spec/report.md`, “Command line”):
//! 0 success / everything valid, 1 something checked is invalid, 2 usage or input error.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub mod calendar;
pub mod checklist;
pub mod common;
pub mod forms;
pub mod validate;

/// shenbao — checks the filings (申报表) of government IT projects against the rules of each
/// jurisdiction.
#[derive(Debug, Parser)]
#[command(name = "api-server", version, about, long_about = None)]
pub struct Cli {
    /// The subcommand; without one, `serve`.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate form data files and print one report per file.
    Validate(validate::Args),
    /// Print the required-documents checklist (附件清单) for one form data file.
    Checklist(checklist::Args),
    /// Check or show the holiday calendar year files.
    #[command(subcommand)]
    Calendar(calendar::Command),
    /// List the jurisdictions and the forms each one offers.
    Forms(forms::Args),
    /// Run the intake service (REST API and demo portal); the default without a subcommand.
    Serve(crate::commands::serve::Args),
    /// Apply the pending database migrations of DATABASE_URL.
    Migrate(crate::commands::migrate::Args),
    /// Manage the bearer tokens of the intake service.
    #[command(subcommand)]
    Token(crate::commands::token::Command),
    /// Re-run stored filings against the current rules and list those whose verdict differs.
    Revalidate(crate::commands::revalidate::Args),
}

/// The process exit status of a subcommand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Everything succeeded / every file is valid.
    Ok = 0,
    /// At least one file was checked and found invalid.
    Invalid = 1,
    /// A usage or input error.
    Input = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// Parses the command line (clap exits with 2 on usage errors) and runs the subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve(Default::default()));
    let exit = match command {
        Command::Validate(args) => validate::run(args),
        Command::Checklist(args) => checklist::run(args),
        Command::Calendar(cmd) => calendar::run(cmd),
        Command::Forms(args) => forms::run(args),
        Command::Serve(args) => crate::commands::serve::run(args),
        Command::Migrate(args) => crate::commands::migrate::run(args),
        Command::Token(cmd) => crate::commands::token::run(cmd),
        Command::Revalidate(args) => crate::commands::revalidate::run(args),
    };
    exit.into()
}
