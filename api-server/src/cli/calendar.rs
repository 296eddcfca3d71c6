//! `api-server calendar check|show`: operator holiday year files (`docs/calendar.md`).

use super::common::{self, out, weekday_zh, Failure};
use super::Exit;
use std::collections::BTreeMap;
use std::path::PathBuf;
use validator_core::calendar::YearFile;
use validator_core::{Calendar, Date};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check holiday year files: dates inside the year, ranges in order, no day both off and
    /// working, make-up days only on weekends, the notice named, …
    Check(CheckArgs),
    /// Print the loaded calendar (built-in years plus $SHENBAO_CALENDAR_DIR and --calendar files).
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 when every file is good, 1 when one is invalid, 2 when one cannot be read."
)]
pub struct CheckArgs {
    /// Year files to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Only this year.
    #[arg(long, value_name = "Y")]
    pub year: Option<i32>,
    /// An additional year file to load (repeatable).
    #[arg(long = "calendar", value_name = "FILE")]
    pub calendars: Vec<PathBuf>,
}

pub fn run(cmd: Command) -> Exit {
    match cmd {
        Command::Check(args) => check(args),
        Command::Show(args) => show(args),
    }
}

/// `ok: FILE (…)` on stdout for a good file, `error: FILE: <field>: <message>` on stderr for a
/// bad one. Exit 0 when all are good, 1 when one is invalid, 2 when one cannot be read.
fn check(args: CheckArgs) -> Exit {
    let mut exit = Exit::Ok;
    for path in &args.files {
        let text = match common::read_text(path) {
            Ok(t) => t,
            Err(f) => {
                f.print();
                exit = exit.max(Exit::Input);
                continue;
            }
        };
        match Calendar::parse_year(&text) {
            Ok(file) => out(format!(
                "ok: {} ({}: {} days off, {} make-up working days)",
                path.display(),
                file.year,
                days_off(&file).len(),
                file.working_days.len()
            )),
            Err(e) => {
                Failure::new(path.display(), e).print();
                exit = exit.max(Exit::Invalid);
            }
        }
    }
    exit
}

/// The days off of a checked year file, with the holiday each belongs to.
fn days_off(file: &YearFile) -> BTreeMap<Date, &str> {
    let mut days = BTreeMap::new();
    for r in &file.days_off {
        if let (Some(from), Some(to)) = (Date::parse(&r.from), Date::parse(&r.to)) {
            let mut d = from;
            while d <= to {
                days.insert(d, r.name.as_str());
                d = d.add_days(1);
            }
        }
    }
    days
}

fn show(args: ShowArgs) -> Exit {
    let calendar = match common::load_calendar(&args.calendars) {
        Ok(c) => c,
        Err(f) => {
            f.print();
            return Exit::Input;
        }
    };
    let years: Vec<&YearFile> = calendar
        .years()
        .filter(|y| args.year.is_none() || args.year == Some(y.year))
        .collect();
    if years.is_empty() {
        let loaded: Vec<String> = calendar.years().map(|y| y.year.to_string()).collect();
        let year = args.year.map_or_else(String::new, |y| format!(" {y}"));
        Failure::bare(format!(
            "no calendar loaded for year{year} (loaded: {})",
            loaded.join(", ")
        ))
        .print();
        return Exit::Input;
    }
    for (i, file) in years.into_iter().enumerate() {
        if i > 0 {
            out("");
        }
        let doc_no = if file.document_no.is_empty() {
            String::new()
        } else {
            format!("（{}）", file.document_no)
        };
        out(format!(
            "{}年  {}{}  发布 {}",
            file.year, file.notice, doc_no, file.published
        ));
        let mut rows: BTreeMap<Date, String> = days_off(file)
            .into_iter()
            .map(|(d, name)| (d, format!("放假（{name}）")))
            .collect();
        for s in &file.working_days {
            if let Some(d) = Date::parse(s) {
                rows.insert(d, "调休上班".to_string());
            }
        }
        out("日期        星期  安排");
        for (d, kind) in rows {
            out(format!("{d}  {}  {kind}", weekday_zh(d.weekday())));
        }
    }
    Exit::Ok
}
