//! Helpers shared by the subcommands: output format, error lines, reading data files, loading
//! the holiday calendar, and the stdout writer.

use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use validator_core::Calendar;

/// The environment variable naming a directory of operator holiday year files (`*.json`).
pub const CALENDAR_DIR_ENV: &str = "SHENBAO_CALENDAR_DIR";

/// Output format of the reporting subcommands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Machine-readable JSON (the default when stdout is not a terminal).
    Json,
    /// A readable Chinese summary (the default on a terminal).
    Text,
}

impl Format {
    /// The chosen format, or the default for the current stdout.
    pub fn or_default(choice: Option<Format>) -> Format {
        choice.unwrap_or_else(|| {
            if io::stdout().is_terminal() {
                Format::Text
            } else {
                Format::Json
            }
        })
    }
}

/// An input error: what it concerns (usually a file path) and why. Printed as one line,
/// `error: <subject>: <reason>`, or `error: <reason>` without a subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub subject: Option<String>,
    pub reason: String,
}

impl Failure {
    pub fn new(subject: impl fmt::Display, reason: impl fmt::Display) -> Failure {
        Failure {
            subject: Some(subject.to_string()),
            reason: reason.to_string(),
        }
    }

    pub fn bare(reason: impl fmt::Display) -> Failure {
        Failure {
            subject: None,
            reason: reason.to_string(),
        }
    }

    /// Writes the one-line message to stderr.
    pub fn print(&self) {
        eprintln!("{self}");
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.subject {
            Some(s) => write!(f, "error: {}: {}", one_line(s), one_line(&self.reason)),
            None => write!(f, "error: {}", one_line(&self.reason)),
        }
    }
}

/// Collapses line breaks so that every message stays on one line.
pub fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r']) {
        s.split(['\n', '\r'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        s.to_string()
    }
}

/// Reads a file as UTF-8 text, dropping a leading byte-order mark.
pub fn read_text(path: &Path) -> Result<String, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure::new(path.display(), e))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// Reads a JSON document. Whether it is an object is left to the validator
/// (`ValidateError::NotAnObject`), so every surface words that error the same way.
pub fn read_json(path: &Path) -> Result<serde_json::Value, Failure> {
    let text = read_text(path)?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::new(path.display(), format!("malformed JSON: {e}")))
}

/// The `*.json` files directly inside `dir`, sorted by name.
pub fn json_files_in(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| Failure::new(dir.display(), e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Failure::new(dir.display(), e))?.path();
        if path.extension().is_some_and(|x| x == "json") && path.is_file() {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}

/// The operator year files: every `*.json` in `$SHENBAO_CALENDAR_DIR` (sorted), then `extra`
/// (the `--calendar` options, in order). A later file for the same year replaces an earlier one.
pub fn calendar_files(extra: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    if let Some(dir) = std::env::var_os(CALENDAR_DIR_ENV).filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        files = json_files_in(&dir)
            .map_err(|f| Failure::new(format!("{CALENDAR_DIR_ENV}={}", dir.display()), f.reason))?;
    }
    files.extend(extra.iter().cloned());
    Ok(files)
}

/// The built-in 2025–2026 calendar plus the operator year files of [`calendar_files`].
/// A bad year file is an input error naming the file and the offending field.
pub fn load_calendar(extra: &[PathBuf]) -> Result<Calendar, Failure> {
    let mut calendar = Calendar::builtin();
    for path in calendar_files(extra)? {
        let text = read_text(&path)?;
        calendar = calendar
            .with_year_json(&text)
            .map_err(|e| Failure::new(path.display(), e))?;
    }
    Ok(calendar)
}

/// Writes one line to stdout. A closed pipe (`… | head`) ends the process quietly; any other
/// write error is reported and exits with status 2.
pub fn out(line: impl fmt::Display) {
    let mut stdout = io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            Failure::new("stdout", e).print();
        }
        std::process::exit(2);
    }
}

/// Chinese weekday name; `weekday` is 0 = Monday … 6 = Sunday.
pub fn weekday_zh(weekday: u32) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][weekday as usize % 7]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_one_line() {
        let f = Failure::new("a.json", "first\nsecond\r\nthird");
        assert_eq!(f.to_string(), "error: a.json: first second third");
        assert_eq!(Failure::bare("x").to_string(), "error: x");
    }
}
