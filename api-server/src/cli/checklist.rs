//! `api-server checklist`: the documents (附件) the rules call for, given one filing's data.

use super::common::{self, out, Failure, Format};
use super::Exit;
use std::path::PathBuf;
use validator_core::checklist::{checklist, Checklist};
use validator_core::engine::resolve;
use validator_core::Validator;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 when every required document is attached, 1 when one is missing, 2 for a usage or input error."
)]
pub struct Args {
    /// Jurisdiction (pack) ID, e.g. potou.
    #[arg(long, value_name = "J")]
    pub jurisdiction: String,
    /// Form key, e.g. apply.
    #[arg(long, value_name = "F")]
    pub form: String,
    /// Output format [default: json when stdout is not a terminal, text on a terminal].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// An operator holiday year file to load on top of the built-in calendar (repeatable; also
    /// every *.json in $SHENBAO_CALENDAR_DIR).
    #[arg(long = "calendar", value_name = "FILE")]
    pub calendars: Vec<PathBuf>,
    /// JSON file holding the (possibly partial) form data.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

pub fn run(args: Args) -> Exit {
    match build(&args) {
        Ok(list) => {
            match Format::or_default(args.format) {
                Format::Json => out(serde_json::to_string(&list).expect("a checklist serializes")),
                Format::Text => out(text(&list)),
            }
            if list.items.iter().any(|i| i.required && !i.attached) {
                Exit::Invalid
            } else {
                Exit::Ok
            }
        }
        Err(f) => {
            f.print();
            Exit::Input
        }
    }
}

fn build(args: &Args) -> Result<Checklist, Failure> {
    resolve(&args.jurisdiction, &args.form).map_err(Failure::bare)?;
    let validator = Validator::new(common::load_calendar(&args.calendars)?);
    let data = common::read_json(&args.file)?;
    checklist(&validator, &args.jurisdiction, &args.form, &data)
        .map_err(|e| Failure::new(args.file.display(), e))
}

/// One line per item: ☑/☐, label (kind), 必需/建议, the rules calling for it.
fn text(list: &Checklist) -> String {
    if list.items.is_empty() {
        return "（按当前填报内容，规则未要求附件）".to_string();
    }
    let lines: Vec<String> = list
        .items
        .iter()
        .map(|i| {
            let mark = if i.attached { "☑" } else { "☐" };
            let need = if i.required { "必需" } else { "建议" };
            let rules: Vec<&str> = i.reasons.iter().map(|r| r.rule.as_str()).collect();
            format!(
                "{mark} {}（{}）  {need}  {}",
                i.label,
                i.kind,
                rules.join(", ")
            )
        })
        .collect();
    lines.join("\n")
}
