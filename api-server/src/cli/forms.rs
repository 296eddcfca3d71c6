//! `api-server forms`: the jurisdictions and the forms each offers.

use super::common::{out, Format};
use super::Exit;
use validator_core::info::forms;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format [default: json when stdout is not a terminal, text on a terminal].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

pub fn run(args: Args) -> Exit {
    let packs = forms();
    match Format::or_default(args.format) {
        Format::Json => out(serde_json::to_string(&packs).expect("the catalog serializes")),
        Format::Text => {
            for p in &packs {
                out(format!(
                    "{}  {}  《{}》  [{}]",
                    p.jurisdiction, p.region, p.document, p.status
                ));
                if p.forms.is_empty() {
                    out("  （暂无表单）");
                }
                for f in &p.forms {
                    let duty = if f.duty == "M" { "必报" } else { "可选" };
                    out(format!(
                        "  {:<14} {}  {duty}  {}",
                        f.form, f.label_zh, f.basis
                    ));
                }
            }
        }
    }
    Exit::Ok
}
