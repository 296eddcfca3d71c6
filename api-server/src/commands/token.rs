//! `api-server token create|list|revoke`: token management from the command line (how the first
//! admin token is made). The secret is printed on stdout by `create` and nowhere else, ever.

use crate::cli::common::{out, Failure, Format};
use crate::cli::Exit;
use crate::db::store::{self, WriteOp, WriteOutcome};
use crate::server::tokens::{TokenInput, TokenOut};
use crate::util;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a token and print it on stdout (the only time it is shown).
    Create(CreateArgs),
    /// List tokens (never their secrets).
    List(ListArgs),
    /// Revoke a token by id.
    Revoke(RevokeArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    Admin,
    Reviewer,
    Unit,
}

#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// admin: manages tokens, reads everything; reviewer: reads one jurisdiction; unit: files for one credit code.
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Jurisdiction (reviewer and unit), e.g. potou.
    #[arg(long, value_name = "J")]
    pub jurisdiction: Option<String>,
    /// Unified social credit code of the unit (unit only).
    #[arg(long, value_name = "C")]
    pub credit_code: Option<String>,
    /// A free label, e.g. the person or system holding the token.
    #[arg(long, value_name = "L")]
    pub label: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Output format [default: json when stdout is not a terminal, text on a terminal].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, clap::Args)]
pub struct RevokeArgs {
    /// The token id (32 hex digits, from `token list`).
    pub id: String,
}

fn flag(field: &str) -> String {
    format!("--{}", field.replace('_', "-"))
}

pub fn run(cmd: Command) -> Exit {
    match run_inner(cmd) {
        Ok(e) => e,
        Err(f) => {
            f.print();
            Exit::Input
        }
    }
}

fn run_inner(cmd: Command) -> Result<Exit, Failure> {
    match cmd {
        Command::Create(a) => {
            let role = match a.role {
                RoleArg::Admin => "admin",
                RoleArg::Reviewer => "reviewer",
                RoleArg::Unit => "unit",
            };
            let input = TokenInput {
                role: role.into(),
                jurisdiction: a.jurisdiction,
                credit_code: a.credit_code,
                label: a.label,
            };
            let (row, secret) = input.into_token().map_err(|e| match &e.field {
                Some(f) => Failure::new(flag(f), e.message.clone()),
                None => Failure::bare(e.message.clone()),
            })?;
            let mut conn = super::connect()?;
            let id = row.id.clone();
            store::apply(&mut conn, &WriteOp::CreateToken { row, idem: None })
                .map_err(|e| Failure::new("database", e))?;
            eprintln!("created {role} token {id}; it is shown below once — store it now");
            out(secret);
            Ok(Exit::Ok)
        }
        Command::List(a) => {
            let mut conn = super::connect()?;
            let tokens = store::all_tokens(&mut conn).map_err(|e| Failure::new("database", e))?;
            match Format::or_default(a.format) {
                Format::Json => {
                    for t in &tokens {
                        out(serde_json::to_string(&TokenOut::of(t, None)).map_err(Failure::bare)?);
                    }
                }
                Format::Text => {
                    for t in &tokens {
                        let state = match t.revoked_at {
                            Some(ms) => format!("revoked {}", util::rfc3339_beijing(ms)),
                            None => "active".into(),
                        };
                        out(format!(
                            "{}  {:<8} {:<9} {:<18} {}  {}  {}",
                            t.id,
                            t.role,
                            t.jurisdiction.as_deref().unwrap_or("-"),
                            t.credit_code.as_deref().unwrap_or("-"),
                            util::rfc3339_beijing(t.created_at),
                            state,
                            t.label
                        ));
                    }
                }
            }
            Ok(Exit::Ok)
        }
        Command::Revoke(a) => {
            if !util::is_id(&a.id) {
                return Err(Failure::new(
                    &a.id,
                    "not a token id (32 hex digits, see `api-server token list`)",
                ));
            }
            let mut conn = super::connect()?;
            match store::apply(
                &mut conn,
                &WriteOp::RevokeToken {
                    id: a.id.clone(),
                    at: util::now_ms(),
                },
            )
            .map_err(|e| Failure::new("database", e))?
            {
                WriteOutcome::Token(t) => {
                    out(format!("revoked {}", t.id));
                    Ok(Exit::Ok)
                }
                _ => Err(Failure::new(&a.id, "no such token")),
            }
        }
    }
}
