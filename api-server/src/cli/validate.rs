//! `api-server validate`: validates form data files and prints one report per file
//! (`spec/report.md`, “Command line”).

use super::common::{self, out, Failure, Format};
use super::Exit;
use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use validator_core::engine::resolve;
use validator_core::{Report, Validator};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 when every file is valid, 1 when any is not, 2 for a usage or input error."
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
    /// JSON files holding the form data; a directory stands for every *.json directly in it.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> Exit {
    // Unknown jurisdiction or form, or a form not on offer: fail before reading any file.
    if let Err(e) = resolve(&args.jurisdiction, &args.form) {
        Failure::bare(e).print();
        return Exit::Input;
    }
    let validator = match common::load_calendar(&args.calendars) {
        Ok(calendar) => Validator::new(calendar),
        Err(f) => {
            f.print();
            return Exit::Input;
        }
    };
    let format = Format::or_default(args.format);

    let mut any_dir = false;
    let mut items: Vec<Result<PathBuf, Failure>> = Vec::new();
    for path in &args.paths {
        if path.is_dir() {
            any_dir = true;
            match common::json_files_in(path) {
                Ok(files) => items.extend(files.into_iter().map(Ok)),
                Err(f) => items.push(Err(f)),
            }
        } else {
            items.push(Ok(path.clone()));
        }
    }

    let mut progress = Progress::new(any_dir && io::stderr().is_terminal(), items.len());
    let mut tally = Tally::default();
    for item in items {
        let result = item.and_then(|path| {
            let data = common::read_json(&path)?;
            let report = validator
                .validate(&args.jurisdiction, &args.form, &data)
                .map_err(|e| Failure::new(path.display(), e))?;
            Ok((path, report))
        });
        progress.clear();
        match result {
            Ok((path, report)) => {
                match format {
                    Format::Json => out(report.to_canonical_json()),
                    Format::Text => out(text_report(&path.display().to_string(), &report)),
                }
                tally.add(&report);
            }
            Err(f) => {
                f.print();
                tally.input_errors += 1;
            }
        }
        progress.tick();
    }
    progress.clear();
    if any_dir {
        eprint!("{}", tally.summary());
    }
    tally.exit()
}

/// The readable Chinese summary of one report: a verdict line, then one line per finding.
pub fn text_report(name: &str, r: &Report) -> String {
    let count = |s: &str| r.findings.iter().filter(|f| f.severity == s).count();
    let verdict = if r.valid { "通过" } else { "不通过" };
    let mut s = format!("{name}: {verdict}");
    if !r.findings.is_empty() {
        s.push_str(&format!(
            "（错误 {}，警告 {}，提示 {}）",
            count("error"),
            count("warning"),
            count("info")
        ));
    }
    for f in &r.findings {
        let severity = match f.severity.as_str() {
            "error" => "错误",
            "warning" if f.exempted => "警告（已豁免）",
            "warning" => "警告",
            _ => "提示",
        };
        let path = f.paths.first().map_or("-", String::as_str);
        let mut message = f.message.zh.clone();
        if let Some(c) = f.citation.as_ref().filter(|_| !message.contains("依据《")) {
            let article = if c.document.contains(&c.article) {
                ""
            } else {
                c.article.as_str()
            };
            message.push_str(&format!("（依据《{}》{article}）", c.document));
        }
        s.push_str(&format!("\n  {severity}  {}  {path}  {message}", f.rule));
    }
    s.push('\n');
    s
}

/// Counts for the end-of-run summary.
#[derive(Default)]
struct Tally {
    valid: usize,
    invalid: usize,
    input_errors: usize,
    /// Error and warning findings per rule ID.
    rules: BTreeMap<String, usize>,
}

impl Tally {
    fn add(&mut self, r: &Report) {
        if r.valid {
            self.valid += 1;
        } else {
            self.invalid += 1;
        }
        for f in r
            .findings
            .iter()
            .filter(|f| f.severity == "error" || f.severity == "warning")
        {
            *self.rules.entry(f.rule.clone()).or_default() += 1;
        }
    }

    fn summary(&self) -> String {
        let files = self.valid + self.invalid + self.input_errors;
        let mut s = format!(
            "summary: {files} files, {} valid, {} invalid",
            self.valid, self.invalid
        );
        if self.input_errors > 0 {
            s.push_str(&format!(
                ", {} not validated (input errors)",
                self.input_errors
            ));
        }
        s.push('\n');
        let mut top: Vec<(&String, &usize)> = self.rules.iter().collect();
        top.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        if top.is_empty() {
            s.push_str("most frequent rules (error/warning findings): none\n");
        } else {
            s.push_str("most frequent rules (error/warning findings):\n");
            for (rule, n) in top.into_iter().take(5) {
                s.push_str(&format!("  {n:>5}  {rule}\n"));
            }
        }
        s
    }

    fn exit(&self) -> Exit {
        if self.input_errors > 0 {
            Exit::Input
        } else if self.invalid > 0 {
            Exit::Invalid
        } else {
            Exit::Ok
        }
    }
}

/// A one-line progress bar on stderr, `\r[####    ] 12/40`; inert when disabled.
struct Progress {
    enabled: bool,
    total: usize,
    done: usize,
    drawn: bool,
}

impl Progress {
    const WIDTH: usize = 30;

    fn new(enabled: bool, total: usize) -> Progress {
        let mut p = Progress {
            enabled: enabled && total > 0,
            total,
            done: 0,
            drawn: false,
        };
        p.draw();
        p
    }

    fn tick(&mut self) {
        self.done += 1;
        self.draw();
    }

    fn draw(&mut self) {
        if !self.enabled {
            return;
        }
        let filled = Self::WIDTH * self.done / self.total.max(1);
        let bar = format!("{}{}", "#".repeat(filled), " ".repeat(Self::WIDTH - filled));
        let mut err = io::stderr().lock();
        let _ = write!(err, "\r[{bar}] {}/{}", self.done, self.total);
        let _ = err.flush();
        self.drawn = true;
    }

    /// Erases the bar so that a message can be printed on a clean line.
    fn clear(&mut self) {
        if self.drawn {
            let mut err = io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lists_the_five_most_frequent_rules() {
        let mut t = Tally {
            valid: 1,
            invalid: 2,
            ..Tally::default()
        };
        for (rule, n) in [("a", 1), ("b", 7), ("c", 3), ("d", 3), ("e", 2), ("f", 9)] {
            t.rules.insert(rule.to_string(), n);
        }
        let s = t.summary();
        assert!(
            s.starts_with("summary: 3 files, 1 valid, 2 invalid\n"),
            "{s}"
        );
        let rules: Vec<&str> = s
            .lines()
            .skip(2)
            .map(|l| l.split_whitespace().nth(1).unwrap())
            .collect();
        assert_eq!(rules, ["f", "b", "c", "d", "e"]);
        assert_eq!(t.exit(), Exit::Invalid);
    }
}
